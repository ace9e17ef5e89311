"""Two people editing "about me" at the same time: the second save is refused, nothing is overwritten."""

import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from children.forms import ChildProfileForm
from children.models import Child
from common.concurrency import VersionConflict, save_versioned


def opened_form(client, child):
    """The profile form as the logged-in person got it: field name -> value, the hidden version included."""
    url = reverse("children:child_profile_edit", args=[child.pk])
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        if name in ("photo_upload", "remove_photo"):
            continue
        value = form[name].value()
        data[name] = value.isoformat() if hasattr(value, "isoformat") else ("" if value is None else value)
    return url, data


def test_the_second_of_two_editors_is_refused_and_the_first_change_stays(client, ouder, medewerker, kind):
    staff = Client()
    staff.force_login(medewerker)
    client.force_login(ouder)
    parent_url, parent_form = opened_form(client, kind)
    staff_url, staff_form = opened_form(staff, kind)

    response = client.post(parent_url, {**parent_form, "eating": "Allergisch voor pinda's."})
    assert response.status_code == 302

    response = staff.post(staff_url, {**staff_form, "eating": "Eet graag rijst.", "likes": "Dieren"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "stale_version" in [error.code for error in form.non_field_errors().as_data()]
    # Next to the field: the text saved now, while the field keeps the text the staff member typed.
    assert any("Allergisch voor pinda's." in error for error in form.errors["eating"])
    assert form["eating"].value() == "Eet graag rijst."
    assert form["likes"].value() == "Dieren"
    assert "Allergisch voor pinda&#x27;s." in response.content.decode()

    kind.refresh_from_db()
    assert kind.eating == "Allergisch voor pinda's."
    assert kind.likes == ""
    assert kind.history.count() == 2  # created, and the parent's change; nothing of the refused save


def test_saving_again_after_seeing_the_other_change_is_a_deliberate_choice(client, ouder, medewerker, kind):
    staff = Client()
    staff.force_login(medewerker)
    client.force_login(ouder)
    parent_url, parent_form = opened_form(client, kind)
    staff_url, staff_form = opened_form(staff, kind)
    client.post(parent_url, {**parent_form, "eating": "Allergisch voor pinda's."})
    refused = staff.post(staff_url, {**staff_form, "eating": "Allergisch voor pinda's. Eet graag rijst."})
    assert refused.status_code == 200

    # The refused page carries the version now shown: sending it again saves.
    again = {name: refused.context["form"][name].value() for name in staff_form}
    response = staff.post(staff_url, again)
    assert response.status_code == 302
    kind.refresh_from_db()
    assert kind.eating == "Allergisch voor pinda's. Eet graag rijst."


def test_an_unchanged_round_trip_saves(client, ouder, kind):
    client.force_login(ouder)
    url, data = opened_form(client, kind)
    assert data["version"] == 1
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "version": 2, "likes": "Zingen"}).status_code == 302
    kind.refresh_from_db()
    assert (kind.likes, kind.version) == ("Zingen", 3)


def test_a_profile_save_keeps_a_mentor_chosen_meanwhile(client, ouder, medewerker, kind):
    client.force_login(ouder)
    url, data = opened_form(client, kind)
    Child.objects.filter(pk=kind.pk).update(mentor=medewerker)
    assert client.post(url, {**data, "likes": "Zingen"}).status_code == 302
    kind.refresh_from_db()
    assert (kind.likes, kind.mentor) == ("Zingen", medewerker)


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_one_wins_and_the_other_is_refused(ouder, medewerker, kind):
    """Real concurrent transactions: the second waits for the first's row lock, then finds the version moved."""
    first_in, let_go = threading.Event(), threading.Event()
    results, errors = {}, []

    def save(name, field, text, hold=False):
        def run():
            try:
                child = Child.objects.get(pk=kind.pk)
                form = ChildProfileForm(
                    {field: text, "version": 1},
                    instance=child,
                    can_edit_details=False,
                    can_move_group=False,
                )
                assert form.is_valid(), form.errors
                with transaction.atomic():
                    try:
                        save_versioned(child, form.based_on_version, form.save)
                    except VersionConflict as conflict:
                        results[name] = conflict.current
                        return
                    results[name] = "saved"
                    if hold:
                        first_in.set()
                        let_go.wait(10)
            except Exception as error:  # noqa: BLE001 - reported to the test below
                errors.append(error)
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    first = save("parent", "eating", "Geen koemelk.", hold=True)
    assert first_in.wait(10)
    second = save("staff", "sleeping", "Slaapt met knuffel.")
    second.join(0.5)
    assert second.is_alive(), "the second save waits for the lock the first one holds"
    let_go.set()
    first.join(10)
    second.join(10)
    assert errors == []
    assert results["parent"] == "saved"
    assert results["staff"].eating == "Geen koemelk."
    kind.refresh_from_db()
    assert (kind.eating, kind.sleeping, kind.version) == ("Geen koemelk.", "", 2)


@pytest.mark.django_db(transaction=True)
def test_ten_parents_and_ten_staff_saving_at_once_lose_nothing_silently(ouder, medewerker, kind):
    start = threading.Barrier(20)
    outcomes, errors = [], []

    def run(number):
        try:
            child = Child.objects.get(pk=kind.pk)
            form = ChildProfileForm(
                {"good_to_know": f"Notitie {number}", "version": child.version},
                instance=child,
                can_edit_details=False,
                can_move_group=False,
            )
            assert form.is_valid(), form.errors
            start.wait(10)
            outcomes.append(form.save_unless_stale())
        except Exception as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert outcomes.count(True) == 1 and outcomes.count(False) == 19
    kind.refresh_from_db()
    assert kind.version == 2
    assert kind.history.count() == 2


def test_setting_the_last_day_keeps_a_profile_saved_meanwhile(kind):
    from django.utils import timezone

    from children.privacy.forms import LeavingForm

    loaded = Child.objects.get(pk=kind.pk)  # the manager's request read the child ...
    Child.objects.filter(pk=kind.pk).update(eating="Geen noten.", version=2)  # ... a parent saved meanwhile
    form = LeavingForm({"end_date": timezone.localdate().isoformat()}, instance=loaded)
    assert form.is_valid(), form.errors
    form.save()
    kind.refresh_from_db()
    assert (kind.eating, kind.version, kind.end_date) == ("Geen noten.", 2, timezone.localdate())


def test_a_change_in_the_admin_refuses_a_profile_form_opened_before_it(client, ouder, kind):
    from tests.factories import UserFactory

    client.force_login(ouder)
    url, data = opened_form(client, kind)
    admin = Client()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))
    change_url = reverse("admin:children_child_change", args=[kind.pk])
    form = admin.get(change_url).context["adminform"].form
    posted = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    posted.update(
        eating="Lactose-intolerant.",
        date_of_birth=kind.date_of_birth.isoformat(),
        **{"guardianships-TOTAL_FORMS": "0", "guardianships-INITIAL_FORMS": "0"},
    )
    posted.pop("start_date", None)
    response = admin.post(change_url, posted)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Child.objects.get(pk=kind.pk).version == 2

    response = client.post(url, {**data, "eating": "Alles."})
    assert response.status_code == 200
    assert Child.objects.get(pk=kind.pk).eating == "Lactose-intolerant."
