"""Group moments: one moment for the group or chosen children, photos marked per child, replies per child."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from children.models import AccessLog, Child
from notifications.models import Notification
from partnership.models import GroupMoment, MomentPhoto, MomentReply
from tests.factories import ChildFactory

from .factories import image_bytes, messages_of, upload
from .team_factories import GroupMomentFactory, MomentPhotoFactory, MomentReplyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consent(kind, kind_buur):
    Child.objects.filter(pk__in=[kind.pk, kind_buur.pk]).update(group_photo_consent=True)
    kind.refresh_from_db(), kind_buur.refresh_from_db()


def bytes_of(response):
    return b"".join(response.streaming_content) if response.status_code == 200 else b""


def photo_urls(photo):
    return [
        reverse("partnership:moment_photo", args=[photo.pk]),
        reverse("partnership:moment_photo_thumbnail", args=[photo.pk]),
    ]


# Staff share a moment ---------------------------------------------------------------------------------------------


def test_staff_share_a_moment_with_photos_for_the_whole_group(
    client, medewerker, groep, kind, kind_buur, ouder, ouder_buur, consent, django_capture_on_commit_callbacks
):
    client.force_login(medewerker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("partnership:moment_create", args=[groep.pk]),
            {
                "happened_on": timezone.localdate().isoformat(),
                "theme": "playing",
                "text": "We bouwden een hut van dozen.",
                "for_whole_group": "on",
                "photos": [upload("een.jpg"), upload("twee.png", content=image_bytes("PNG"))],
            },
        )
    moment = GroupMoment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/group-moments/{moment.pk}/photos/")
    assert set(moment.children.all()) == {kind, kind_buur}
    photos = list(moment.photos.order_by("pk"))
    assert len(photos) == 2 and all(p.is_ready and p.marked_at is None for p in photos), "processed, not marked"
    for parent in (ouder, ouder_buur):
        notification = Notification.objects.get(recipient=parent)
        assert "hut" not in notification.message


def test_a_moment_for_chosen_children_reaches_only_their_parents(
    client, medewerker, groep, kind, kind_buur, ouder, ouder_buur
):
    client.force_login(medewerker)
    client.post(
        reverse("partnership:moment_create", args=[groep.pk]),
        {
            "happened_on": timezone.localdate().isoformat(),
            "theme": "language",
            "text": "Voorlezen",
            "children": [kind.pk],
        },
    )
    moment = GroupMoment.objects.get()
    assert list(moment.children.all()) == [kind]
    assert Notification.objects.filter(recipient=ouder).exists()
    assert not Notification.objects.filter(recipient=ouder_buur).exists()
    client.force_login(ouder_buur)
    assert client.get(moment.get_absolute_url()).status_code == 404
    assert "Voorlezen" not in client.get(kind_buur.get_absolute_url()).content.decode()
    client.force_login(ouder)
    assert "Voorlezen" in client.get(kind.get_absolute_url()).content.decode(), "on the chosen child's timeline"


def test_a_moment_needs_children_a_text_and_no_future_date(client, medewerker, groep, kind):
    client.force_login(medewerker)
    url = reverse("partnership:moment_create", args=[groep.pk])
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    for data in (
        {"happened_on": timezone.localdate().isoformat(), "theme": "playing", "text": "x"},
        {"happened_on": timezone.localdate().isoformat(), "theme": "playing", "text": "  ", "for_whole_group": "on"},
        {"happened_on": tomorrow, "theme": "playing", "text": "x", "for_whole_group": "on"},
        {"happened_on": timezone.localdate().isoformat(), "theme": "playing", "text": "x", "children": [999999]},
    ):
        response = client.post(url, data)
        assert response.status_code == 200 and response.context["form"].errors
    assert not GroupMoment.objects.exists()


def test_a_double_submit_shares_once(client, medewerker, groep, kind):
    client.force_login(medewerker)
    url = reverse("partnership:moment_create", args=[groep.pk])
    token = client.get(url).context["form"].initial["token"]
    data = {
        "happened_on": timezone.localdate().isoformat(),
        "theme": "playing",
        "text": "x",
        "for_whole_group": "on",
        "token": token,
    }
    client.post(url, data)
    client.post(url, data)
    assert GroupMoment.objects.count() == 1


def test_staff_are_told_before_upload_which_children_have_no_consent(client, medewerker, groep, kind, kind_buur):
    Child.objects.filter(pk=kind.pk).update(group_photo_consent=True)
    client.force_login(medewerker)
    response = client.get(reverse("partnership:moment_create", args=[groep.pk]))
    assert response.context["without_consent"] == [kind_buur]
    assert "Mila" in response.content.decode()


# Who sees which photo ------------------------------------------------------------------------------------------


def test_a_parent_never_receives_a_photo_of_another_child_or_of_a_child_without_consent(
    client, kind, kind_buur, ouder, ouder_buur, medewerker, groep
):
    """The photo bytes rule: a parent of child A never gets a group photo marked only with child B, nor any
    photo marked with a child whose parents gave no consent for group photos."""
    without = ChildFactory(group=groep, first_name="Noah", group_photo_consent=False)
    Child.objects.filter(pk__in=[kind.pk, kind_buur.pk]).update(group_photo_consent=True)
    moment = GroupMomentFactory(group=groep, children=[kind, kind_buur, without])
    only_b = MomentPhotoFactory(moment=moment, children=[kind_buur], image__data=image_bytes(color=(1, 2, 3)))
    a_and_b = MomentPhotoFactory(moment=moment, children=[kind, kind_buur], image__data=image_bytes(color=(4, 5, 6)))
    a_and_none = MomentPhotoFactory(moment=moment, children=[kind, without], image__data=image_bytes(color=(7, 8, 9)))
    nobody = MomentPhotoFactory(moment=moment, children=[], image__data=image_bytes(color=(9, 9, 9)))
    unmarked = MomentPhotoFactory(moment=moment, children=[kind], marked_at=None)

    def received(person, photo):
        client.force_login(person)
        return [bytes_of(client.get(url)) for url in photo_urls(photo)]

    forbidden_for_a = [only_b, a_and_none, unmarked]
    for photo in forbidden_for_a:
        assert received(ouder, photo) == [b"", b""], photo
    assert received(ouder, a_and_b)[0] == a_and_b.image.open("rb").read()
    assert received(ouder, nobody)[0] != b""
    assert received(ouder_buur, only_b)[0] != b""

    client.force_login(ouder)
    for page in (moment.get_absolute_url(), kind.get_absolute_url()):
        html = client.get(page).content.decode()
        for photo in forbidden_for_a:
            assert f"/moment-photos/{photo.pk}/" not in html
        assert f"/moment-photos/{a_and_b.pk}/" in html
    assert set(MomentPhoto.objects.visible_to(ouder)) == {a_and_b, nobody}

    client.force_login(medewerker)
    html = client.get(moment.get_absolute_url()).content.decode()
    assert all(f"/moment-photos/{p.pk}/" in html for p in (only_b, a_and_none, nobody, a_and_b)), "staff see all"
    assert "Noah" in html, "staff are told why a photo is hidden"


def test_consent_withdrawn_later_hides_the_photo_at_once(client, kind, ouder, groep):
    Child.objects.filter(pk=kind.pk).update(group_photo_consent=True)
    photo = MomentPhotoFactory(moment=GroupMomentFactory(group=groep, children=[kind]), children=[kind])
    client.force_login(ouder)
    assert client.get(photo_urls(photo)[0]).status_code == 200
    Child.objects.filter(pk=kind.pk).update(group_photo_consent=False)
    assert client.get(photo_urls(photo)[0]).status_code == 404


def test_marking_children_per_photo_and_the_warning_after(client, medewerker, groep, kind, kind_buur):
    Child.objects.filter(pk=kind.pk).update(group_photo_consent=True)
    moment = GroupMomentFactory(group=groep, author=medewerker, children=[kind, kind_buur])
    first = MomentPhotoFactory(moment=moment, marked_at=None, children=[])
    second = MomentPhotoFactory(moment=moment, marked_at=None, children=[])
    client.force_login(medewerker)
    url = reverse("partnership:moment_photos", args=[moment.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {f"photo_{first.pk}": [kind.pk], f"photo_{second.pk}": [kind.pk, kind_buur.pk]})
    first.refresh_from_db(), second.refresh_from_db()
    assert list(first.children.all()) == [kind] and first.marked_at is not None
    assert set(second.children.all()) == {kind, kind_buur}
    assert any("no parent" in m or "geen enkele ouder" in m for m in messages_of(response))
    assert client.post(url, {f"photo_{first.pk}": [999999]}).status_code == 200, "a child not in the moment"
    assert list(first.children.all()) == [kind]


# Replies, one thread per child ------------------------------------------------------------------------------------


def test_a_parents_reply_is_read_by_staff_and_their_own_family_only(
    client, groep, kind, kind_buur, ouder, ouder_buur, medewerker
):
    moment = GroupMomentFactory(group=groep, children=[kind, kind_buur])
    client.force_login(ouder)
    reply_url = reverse("partnership:moment_reply", args=[moment.pk])
    response = client.post(
        reply_url, {"child": kind.pk, f"moment-{moment.pk}-{kind.pk}-text": "Thuis bouwt hij ook hutten!"}
    )
    reply = MomentReply.objects.get()
    assert response.status_code == 302 and (reply.child, reply.author, reply.side) == (kind, ouder, "home")
    assert Notification.objects.filter(recipient=medewerker).exists()
    assert "Thuis bouwt" in client.get(moment.get_absolute_url()).content.decode()
    assert "Thuis bouwt" in client.get(kind.get_absolute_url()).content.decode()

    client.force_login(ouder_buur)
    assert "Thuis bouwt" not in client.get(moment.get_absolute_url()).content.decode()
    assert "Thuis bouwt" not in client.get(kind_buur.get_absolute_url()).content.decode()
    assert (
        client.post(reply_url, {"child": kind.pk, f"moment-{moment.pk}-{kind.pk}-text": "ingebroken"}).status_code
        == 404
    )
    assert not MomentReply.objects.visible_to(ouder_buur).exists()

    client.force_login(medewerker)
    assert "Thuis bouwt" in client.get(moment.get_absolute_url()).content.decode()
    client.post(reply_url, {"child": kind.pk, f"moment-{moment.pk}-{kind.pk}-text": "Leuk om te horen"})
    assert Notification.objects.filter(recipient=ouder).count() == 1
    assert not Notification.objects.filter(recipient=ouder_buur).exists()


# Edit and delete, as observations -------------------------------------------------------------------------------


def test_the_author_edits_within_24_hours_and_deletes_softly(client, medewerker, groep, kind, kind_buur, ouder):
    moment = GroupMomentFactory(group=groep, author=medewerker, children=[kind], text="Eerst")
    client.force_login(medewerker)
    edit_url = reverse("partnership:moment_edit", args=[moment.pk])
    page = client.get(edit_url)
    assert page.context["form"]["happened_on"].value() is not None
    response = client.post(
        edit_url,
        {
            "happened_on": moment.happened_on.isoformat(),
            "theme": "eating",
            "text": "Daarna",
            "children": [kind.pk, kind_buur.pk],
        },
    )
    moment.refresh_from_db()
    assert response.status_code == 302 and moment.text == "Daarna" and moment.children.count() == 2
    GroupMoment.objects.filter(pk=moment.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    client.post(
        edit_url,
        {"happened_on": moment.happened_on.isoformat(), "theme": "eating", "text": "Te laat", "for_whole_group": "on"},
    )
    moment.refresh_from_db()
    assert moment.text == "Daarna"
    client.post(reverse("partnership:moment_delete", args=[moment.pk]))
    moment.refresh_from_db()
    assert moment.is_deleted
    client.force_login(ouder)
    assert "Daarna" not in client.get(kind.get_absolute_url()).content.decode()


def test_only_the_author_edits_or_deletes(client, groep, kind, medewerker, manager):
    moment = GroupMomentFactory(group=groep, author=medewerker, children=[kind])
    client.force_login(manager)
    assert client.get(reverse("partnership:moment_edit", args=[moment.pk])).status_code == 404
    assert client.post(reverse("partnership:moment_delete", args=[moment.pk])).status_code == 404
    assert not GroupMoment.objects.get().is_deleted


# Scope per role -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["ouder_elders", "medewerker_elders", "manager_elders", "trainer"])
def test_other_centres_and_trainers_get_404_everywhere(client, request, groep, kind, person):
    Child.objects.filter(pk=kind.pk).update(group_photo_consent=True)
    moment = GroupMomentFactory(group=groep, children=[kind])
    photo = MomentPhotoFactory(moment=moment)
    client.force_login(request.getfixturevalue(person))
    urls = [
        reverse("partnership:moment_detail", args=[moment.pk]),
        reverse("partnership:moment_photos", args=[moment.pk]),
        reverse("partnership:moment_edit", args=[moment.pk]),
        reverse("partnership:moment_delete", args=[moment.pk]),
        reverse("partnership:moment_create", args=[groep.pk]),
        *photo_urls(photo),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("partnership:moment_reply", args=[moment.pk]), {"x": "y"}).status_code == 404


def test_parents_cannot_write_moments_or_mark_photos(client, ouder, groep, kind):
    moment = GroupMomentFactory(group=groep, children=[kind])
    client.force_login(ouder)
    assert client.get(reverse("partnership:moment_create", args=[groep.pk])).status_code == 404
    assert client.get(reverse("partnership:moment_photos", args=[moment.pk])).status_code == 404
    assert client.get(reverse("partnership:moment_list")).status_code == 404


def test_visible_to_per_role(
    groep, kind, kind_buur, ouder, ouder_buur, medewerker, manager, medewerker_elders, trainer
):
    for_a = GroupMomentFactory(group=groep, children=[kind])
    for_all = GroupMomentFactory(group=groep, children=[kind, kind_buur])
    assert set(GroupMoment.objects.visible_to(ouder)) == {for_a, for_all}
    assert set(GroupMoment.objects.visible_to(ouder_buur)) == {for_all}
    assert (
        set(GroupMoment.objects.visible_to(medewerker))
        == set(GroupMoment.objects.visible_to(manager))
        == {for_a, for_all}
    )
    assert not GroupMoment.objects.visible_to(medewerker_elders).exists()
    assert not GroupMoment.objects.visible_to(trainer).exists()


def test_anonymous_visitors_go_to_the_login(client, groep, kind):
    moment = GroupMomentFactory(group=groep, children=[kind])
    photo = MomentPhotoFactory(moment=moment)
    for url in (
        reverse("partnership:moment_list"),
        reverse("partnership:moment_create", args=[groep.pk]),
        moment.get_absolute_url(),
        reverse("partnership:moment_photos", args=[moment.pk]),
        reverse("partnership:moment_edit", args=[moment.pk]),
        reverse("partnership:moment_delete", args=[moment.pk]),
        *photo_urls(photo),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


# Access log, family download, retention ----------------------------------------------------------------------------


def test_staff_reads_are_in_the_access_log(client, groep, kind, kind_buur, ouder, medewerker):
    moment = GroupMomentFactory(group=groep, children=[kind, kind_buur])
    client.force_login(ouder)
    client.get(moment.get_absolute_url())
    assert not AccessLog.objects.exists()
    client.force_login(medewerker)
    client.get(moment.get_absolute_url())
    assert set(AccessLog.objects.values_list("child", "what")) == {(kind.pk, "moment"), (kind_buur.pk, "moment")}


def test_the_family_download_has_the_moment_and_the_photos_the_child_is_marked_in(groep, kind, kind_buur, ouder):
    from children.privacy.export import FamilyExport

    without = ChildFactory(group=groep, group_photo_consent=False)
    Child.objects.filter(pk__in=[kind.pk, kind_buur.pk]).update(group_photo_consent=True)
    moment = GroupMomentFactory(group=groep, children=[kind, kind_buur, without])
    own = MomentPhotoFactory(moment=moment, children=[kind])
    other = MomentPhotoFactory(moment=moment, children=[kind_buur])
    with_refusal = MomentPhotoFactory(moment=moment, children=[kind, without])
    own_reply = MomentReplyFactory(moment=moment, child=kind, author=ouder)
    MomentReplyFactory(moment=moment, child=kind_buur)
    export = FamilyExport(ouder, kind)
    assert export.objects[GroupMoment] == [moment]
    assert export.objects[MomentPhoto] == [own]
    assert export.objects[MomentReply] == [own_reply]
    export.sections()
    assert own.image.name in export.files and other.image.name not in export.files
    assert with_refusal.image.name not in export.files


def test_deleting_a_childs_data_deletes_the_photos_it_is_in_and_its_thread(groep, kind, kind_buur):
    from children.privacy.services import delete_child_data

    moment = GroupMomentFactory(group=groep, children=[kind, kind_buur])
    with_child = MomentPhotoFactory(moment=moment, children=[kind])
    with_both = MomentPhotoFactory(moment=moment, children=[kind, kind_buur])
    others = MomentPhotoFactory(moment=moment, children=[kind_buur])
    MomentReplyFactory(moment=moment, child=kind)
    kept_reply = MomentReplyFactory(moment=moment, child=kind_buur)
    delete_child_data(kind)
    assert list(MomentPhoto.objects.all()) == [others]
    assert not MomentPhoto.objects.filter(pk__in=[with_child.pk, with_both.pk]).exists()
    assert list(MomentReply.objects.all()) == [kept_reply]
    assert list(GroupMoment.objects.get().children.all()) == [kind_buur], "the moment stays for the others"


# Query counts -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 10])
def test_moment_pages_and_the_timeline_do_not_grow(
    client, groep, kind, ouder, medewerker, size, django_assert_max_num_queries
):
    Child.objects.filter(pk=kind.pk).update(group_photo_consent=True)
    others = ChildFactory.create_batch(size, group=groep, group_photo_consent=True)
    for _ in range(size):
        moment = GroupMomentFactory(group=groep, children=[kind, *others])
        MomentPhotoFactory.create_batch(2, moment=moment, children=[kind])
        for child in [kind, *others]:
            MomentReplyFactory(moment=moment, child=child)
    client.force_login(medewerker)
    client.get(reverse("partnership:moment_list"))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("partnership:moment_list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(moment.get_absolute_url()).status_code == 200
    client.force_login(ouder)
    client.get(kind.get_absolute_url())
    with django_assert_max_num_queries(25):
        assert client.get(kind.get_absolute_url()).status_code == 200


def test_the_parents_home_shows_a_moment_once_with_a_photo_of_their_own_child(client, groep, kind, ouder, kind_buur):
    from tests.factories import GuardianshipFactory

    sibling = ChildFactory(group=groep, first_name="Sam", group_photo_consent=True)
    GuardianshipFactory(user=ouder, child=sibling)
    Child.objects.filter(pk=kind.pk).update(group_photo_consent=True)
    moment = GroupMomentFactory(group=groep, children=[kind, sibling, kind_buur], text="Naar de kinderboerderij")
    other = MomentPhotoFactory(moment=moment, children=[kind_buur])
    own = MomentPhotoFactory(moment=moment, children=[kind])
    GroupMomentFactory(group=groep, children=[kind_buur], text="Alleen voor Mila")
    client.force_login(ouder)
    response = client.get(reverse("home"))
    items = [item for item in response.context["feed"].items if item.kind == "moment"]
    assert [item.obj for item in items] == [moment]
    assert items[0].thumbnail_url == own.get_thumbnail_url() != other.get_thumbnail_url()
    html = response.content.decode()
    assert "kinderboerderij" in html and "Alleen voor Mila" not in html


def test_demo_data_has_moments_with_marked_photos():
    from django.core.management import call_command

    from accounts.models import User

    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert GroupMoment.objects.count() == 2 and MomentPhoto.objects.count() == 4
    anne = User.objects.get(email="ouder@example.org")
    # Sam's parents gave no consent for group photos in the demo: Anne sees only the photo without children.
    assert list(MomentPhoto.objects.visible_to(anne).values_list("children", flat=True)) == [None]
    peter = User.objects.get(email="ouder2@example.org")
    finn_consents = Child.objects.get(first_name="Finn").group_photo_consent
    assert MomentPhoto.objects.visible_to(peter).count() == (1 if finn_consents else 0)


def test_a_reply_naming_a_child_outside_the_moment_or_no_child_is_refused(client, groep, kind, kind_buur, medewerker):
    moment = GroupMomentFactory(group=groep, children=[kind])
    client.force_login(medewerker)
    url = reverse("partnership:moment_reply", args=[moment.pk])
    assert client.post(url, {"child": kind_buur.pk, f"moment-{moment.pk}-{kind.pk}-text": "x"}).status_code == 404
    for child in ("", "abc", "-1"):
        response = client.post(url, {"child": child, f"moment-{moment.pk}-{kind.pk}-text": "x"})
        assert response.status_code == 302 and messages_of(response)
    assert not MomentReply.objects.exists()


def test_marking_a_child_outside_the_moment_is_refused_with_a_message(client, medewerker, groep, kind, kind_buur):
    moment = GroupMomentFactory(group=groep, author=medewerker, children=[kind])
    photo = MomentPhotoFactory(moment=moment, marked_at=None, children=[])
    client.force_login(medewerker)
    response = client.post(
        reverse("partnership:moment_photos", args=[moment.pk]), {f"photo_{photo.pk}": [kind_buur.pk]}
    )
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    photo.refresh_from_db()
    assert photo.marked_at is None
