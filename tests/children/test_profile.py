""" "About me": parents and the child's staff edit it together, every change is kept, the photo is private."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from children.models import AccessLog, Child

SEES_KIND = {
    "ouder": True,
    "ouder_buur": False,
    "medewerker": True,
    "manager": True,
    "ouder_elders": False,
    "medewerker_elders": False,
    "manager_elders": False,
    "trainer": False,
}


def photo_upload(name="sam.jpg", size=(120, 90)):
    buffer = BytesIO()
    Image.new("RGB", size, (240, 180, 20)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def edit(client, child, **changes):
    """Post the profile form as the logged-in person sees it, with some fields changed."""
    url = reverse("children:child_profile_edit", args=[child.pk])
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        if name in ("photo_upload", "remove_photo"):
            continue
        value = form[name].value()
        data[name] = value.isoformat() if hasattr(value, "isoformat") else ("" if value is None else value)
    data.update(changes)
    return client.post(url, data)


def nl(text):
    from django.utils import translation

    with translation.override("nl"):
        return translation.gettext(text)


@pytest.mark.parametrize("view", ["child_profile_edit", "child_profile_history"])
def test_profile_pages_per_role(client, everyone, kind, view):
    url = reverse(f"children:{view}", args=[kind.pk])
    for name, user in everyone.items():
        client.force_login(user)
        assert client.get(url).status_code == (200 if SEES_KIND[name] else 404), name
    client.logout()
    assert client.get(url).status_code == 302


def test_nobody_outside_scope_can_change_the_profile(client, everyone, kind):
    for name, user in everyone.items():
        if not SEES_KIND[name]:
            client.force_login(user)
            url = reverse("children:child_profile_edit", args=[kind.pk])
            assert client.post(url, {"sleeping": "Slaapt nooit"}).status_code == 404, name
    kind.refresh_from_db()
    assert kind.sleeping == ""


def test_parent_fills_in_about_me(client, ouder, kind):
    client.force_login(ouder)
    response = edit(
        client,
        kind,
        sleeping="Slaapt met zijn knuffelkonijn.",
        languages="Nederlands en Turks",
        likes="Dieren en liedjes",
        first_name="Hacker",  # parents do not change the name; the field is not on their form
    )
    assert response.status_code == 302 and response["Location"].endswith("#profile")
    kind.refresh_from_db()
    assert kind.sleeping == "Slaapt met zijn knuffelkonijn." and kind.languages == "Nederlands en Turks"
    assert kind.first_name != "Hacker"
    page = client.get(kind.get_absolute_url()).content.decode()
    assert "Slaapt met zijn knuffelkonijn." in page and "Nederlands en Turks" in page


def test_staff_also_keep_the_details_and_managers_move_groups(client, medewerker, manager, kind, andere_groep):
    client.force_login(medewerker)
    form = client.get(reverse("children:child_profile_edit", args=[kind.pk])).context["form"]
    assert "first_name" in form.fields and "group" not in form.fields
    edit(client, kind, first_name="Samuel", eating="Geen noten!")
    kind.refresh_from_db()
    assert (kind.first_name, kind.eating) == ("Samuel", "Geen noten!")
    client.force_login(manager)
    edit(client, kind, group=andere_groep.pk)
    kind.refresh_from_db()
    assert kind.group == andere_groep


def test_manager_cannot_move_a_child_to_another_centre(client, manager, kind, groep_elders):
    client.force_login(manager)
    response = edit(
        client, kind, first_name=kind.first_name, date_of_birth=kind.date_of_birth.isoformat(), group=groep_elders.pk
    )
    assert response.status_code == 200 and response.context["form"].errors["group"]


def test_too_long_text_is_a_clear_error(client, ouder, kind):
    client.force_login(ouder)
    response = edit(client, kind, sleeping="z" * 50_000, likes="Blijft staan")
    assert response.status_code == 200
    assert response.context["form"].errors["sleeping"]
    assert response.context["form"]["likes"].value() == "Blijft staan"


def test_history_shows_who_changed_what_and_when_to_both_sides(client, ouder, medewerker, kind):
    client.force_login(ouder)
    edit(client, kind, sleeping="Slaapt om half acht.")
    client.force_login(medewerker)
    edit(
        client,
        kind,
        first_name=kind.first_name,
        date_of_birth=kind.date_of_birth.isoformat(),
        sleeping="Slaapt om acht uur.",
    )
    for user in (ouder, medewerker):
        client.force_login(user)
        response = client.get(reverse("children:child_profile_history", args=[kind.pk]))
        changes = response.context["changes"]
        assert [str(change.user) for change in changes[:2]] == ["Fatima Yilmaz", "Anne de Vries"]
        assert (
            changes[0].changes[0].new == "Slaapt om acht uur." and changes[0].changes[0].old == "Slaapt om half acht."
        )
        page = response.content.decode()
        assert "Slaapt om acht uur." in page and "Anne de Vries" in page


@pytest.mark.parametrize("edits", [2, 25])
def test_history_queries_do_not_grow(client, ouder, kind, edits, django_assert_max_num_queries):
    client.force_login(ouder)
    for n in range(edits):
        edit(client, kind, likes=f"Versie {n}")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("children:child_profile_history", args=[kind.pk]))
    assert len(response.context["changes"]) >= min(edits, 20)


def test_profile_photo_is_private_and_shown_only_with_consent(
    client, everyone, ouder, kind, django_capture_on_commit_callbacks
):
    client.force_login(ouder)
    with django_capture_on_commit_callbacks(execute=True):  # and the worker re-encodes it
        response = client.post(
            reverse("children:child_profile_edit", args=[kind.pk]), {"photo_upload": photo_upload("IMG_9999.jpg")}
        )
    assert response.status_code == 302
    kind.refresh_from_db()
    assert kind.photo and "IMG_9999" not in kind.photo.name and kind.photo_thumbnail
    photo_url = reverse("children:child_photo", args=[kind.pk])
    assert client.get(photo_url).status_code == 404  # no consent yet
    assert photo_url not in client.get(kind.get_absolute_url()).content.decode()
    Child.objects.filter(pk=kind.pk).update(photo_consent=True)
    for name, user in everyone.items():
        client.force_login(user)
        for view in ("child_photo", "child_photo_thumbnail"):
            response = client.get(reverse(f"children:{view}", args=[kind.pk]))
            assert response.status_code == (200 if SEES_KIND[name] else 404), (name, view)
            if response.status_code == 200:
                assert response["Content-Type"] == "image/jpeg"
                b"".join(response.streaming_content)


def test_child_without_photo_has_no_photo_page(client, ouder, kind):
    Child.objects.filter(pk=kind.pk).update(photo_consent=True)
    client.force_login(ouder)
    assert client.get(reverse("children:child_photo", args=[kind.pk])).status_code == 404


def test_bad_photo_keeps_the_rest_of_the_form(client, ouder, kind):
    client.force_login(ouder)
    fake = SimpleUploadedFile("sam.jpg", b"GIF89a geen echte foto", "image/jpeg")
    response = client.post(
        reverse("children:child_profile_edit", args=[kind.pk]), {"photo_upload": fake, "likes": "Zandbak"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["photo_upload"]
    assert response.context["form"]["likes"].value() == "Zandbak"
    kind.refresh_from_db()
    assert not kind.photo and kind.likes == ""


def test_replacing_and_removing_the_photo_deletes_the_old_files(
    client, ouder, kind, django_capture_on_commit_callbacks
):
    client.force_login(ouder)
    url = reverse("children:child_profile_edit", args=[kind.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"photo_upload": photo_upload()})
    kind.refresh_from_db()
    first = kind.photo.name
    storage = kind.photo.storage
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"photo_upload": photo_upload("nieuw.jpg")})
    kind.refresh_from_db()
    assert kind.photo.name != first and not storage.exists(first)
    second = kind.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"remove_photo": "on"})
    kind.refresh_from_db()
    assert not kind.photo and not storage.exists(second)


def test_staff_are_warned_before_adding_a_photo_without_consent(client, medewerker, ouder, kind):
    client.force_login(medewerker)
    assert (
        'class="alert alert-warning"'
        in client.get(reverse("children:child_profile_edit", args=[kind.pk])).content.decode()
    )
    response = client.post(
        reverse("children:child_profile_edit", args=[kind.pk]),
        {
            "photo_upload": photo_upload(),
            "first_name": kind.first_name,
            "date_of_birth": kind.date_of_birth.isoformat(),
        },
    )
    assert [m.level_tag for m in response.wsgi_request._messages] == ["success", "warning"]
    client.force_login(ouder)
    assert (
        'class="alert alert-warning"'
        not in client.get(reverse("children:child_profile_edit", args=[kind.pk])).content.decode()
    )


def test_reads_by_professionals_are_logged(client, medewerker, ouder, kind):
    Child.objects.filter(pk=kind.pk).update(photo_consent=True)
    client.force_login(medewerker)
    client.get(kind.get_absolute_url())
    client.get(reverse("children:child_profile_edit", args=[kind.pk]))
    client.get(reverse("children:child_profile_history", args=[kind.pk]))
    assert set(AccessLog.objects.filter(user=medewerker).values_list("what", flat=True)) == {"timeline", "profile"}
    client.force_login(ouder)
    client.get(kind.get_absolute_url())
    client.get(reverse("children:child_profile_history", args=[kind.pk]))
    assert not AccessLog.objects.filter(user=ouder).exists()


def test_profile_page_in_dutch(client, ouder, kind):
    client.force_login(ouder)
    page = client.get(reverse("children:child_profile_edit", args=[kind.pk])).content.decode()
    intro = nl(
        "What helps to know this child. Parents and staff keep it up to date together; "
        "every change is kept with who made it and when."
    )
    assert intro in page
