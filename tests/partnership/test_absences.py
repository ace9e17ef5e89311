"""Absence: a parent reports a child ill or absent, staff record one too, and both see the history."""

import datetime
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from children.models import Membership
from notifications.models import Notification
from partnership.models import Absence, Side, TeamSettings
from tests.factories import ChildFactory, MembershipFactory, UserFactory
from tests.html_forms import pick_form

from .factories import messages_of
from .team_factories import AbsenceFactory, TeamSettingsFactory, days_from_today

pytestmark = pytest.mark.django_db
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def url(child):
    return reverse("partnership:child_absences", args=[child.pk])


def report(client, child, **data):
    payload = {"reason": "ill", "first_day": timezone.localdate().isoformat(), "last_day": "", "note": ""}
    payload.update(data)
    return client.post(url(child), payload)


# The cut-off ---------------------------------------------------------------------------------------------------


def test_a_report_for_today_after_the_cut_off_is_late(centrum):
    team = TeamSettings.objects.for_centre(centrum)
    assert team.absence_cutoff == datetime.time(9, 0) and team.pk is None
    day = datetime.date(2026, 3, 2)
    early = datetime.datetime(2026, 3, 2, 8, 59, tzinfo=AMSTERDAM)
    late = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=AMSTERDAM)
    assert not team.is_late_absence(day, early)
    assert team.is_late_absence(day, late)
    assert not team.is_late_absence(day + datetime.timedelta(days=1), late), "tomorrow is never late"
    assert team.is_late_absence(day - datetime.timedelta(days=1), early), "a day already past is late"


def test_the_centre_sets_its_own_cut_off(client, manager, centrum):
    client.force_login(manager)
    response = client.post(
        reverse("partnership:team_settings", args=[centrum.pk]),
        {"absence_cutoff": "10:30", "days": ["1", "2", "3"], "answer_from": "07:30", "answer_until": "18:00"},
    )
    assert response.status_code == 302
    team = TeamSettings.objects.get(centre=centrum)
    assert team.absence_cutoff == datetime.time(10, 30)
    assert team.answer_days == "123"
    page = client.get(reverse("partnership:team_settings", args=[centrum.pk]))
    assert 'value="10:30"' in page.content.decode(), "the time input round-trips"


def test_only_managers_of_the_centre_change_the_settings(client, medewerker, ouder, manager_elders, centrum):
    for person in (medewerker, ouder, manager_elders):
        client.force_login(person)
        assert client.get(reverse("partnership:team_settings", args=[centrum.pk])).status_code == 404


# Parents report ------------------------------------------------------------------------------------------------


def test_a_parent_reports_a_child_ill_for_several_days(client, ouder, kind, medewerker):
    TeamSettingsFactory(centre=kind.group.centre, absence_cutoff=datetime.time(23, 59, 59))
    client.force_login(ouder)
    tomorrow = days_from_today(1)
    response = report(
        client, kind, first_day=timezone.localdate().isoformat(), last_day=tomorrow.isoformat(), note="Koorts"
    )
    absence = Absence.objects.get()
    assert response.status_code == 302
    assert (absence.child, absence.author, absence.side) == (kind, ouder, Side.HOME)
    assert (absence.first_day, absence.last_day, absence.days) == (timezone.localdate(), tomorrow, 2)
    assert not absence.is_late
    notification = Notification.objects.get(recipient=medewerker)
    assert kind.first_name in notification.message and "Koorts" not in notification.message
    assert not Notification.objects.filter(recipient=ouder).exists()


def test_one_day_when_the_last_day_is_left_empty_and_a_double_submit_saves_once(client, ouder, kind):
    client.force_login(ouder)
    page = client.get(url(kind))
    token = page.context["form"].initial["token"]
    for _ in range(2):
        report(client, kind, token=token)
    absence = Absence.objects.get()
    assert absence.first_day == absence.last_day == timezone.localdate()


def test_a_report_after_the_cut_off_is_marked_late(client, ouder, kind):
    TeamSettingsFactory(centre=kind.group.centre, absence_cutoff=datetime.time(0, 0))
    client.force_login(ouder)
    response = report(client, kind)
    assert Absence.objects.get().is_late
    assert any("00:00" in m for m in messages_of(response))
    assert "late" in client.get(url(kind)).content.decode() or "laat" in client.get(url(kind)).content.decode()


def test_a_report_for_tomorrow_is_never_late(client, ouder, kind):
    TeamSettingsFactory(centre=kind.group.centre, absence_cutoff=datetime.time(0, 0))
    client.force_login(ouder)
    report(client, kind, first_day=days_from_today(1).isoformat())
    assert not Absence.objects.get().is_late


@pytest.mark.parametrize(
    ("first", "last", "code"),
    [
        (days_from_today(2), days_from_today(1), "order"),
        (days_from_today(0), days_from_today(90), "too_long"),
        (days_from_today(-30), "", "too_early"),
        (days_from_today(400), "", "too_late"),
    ],
)
def test_impossible_days_are_refused_with_a_clear_message(client, ouder, kind, first, last, code):
    client.force_login(ouder)
    response = report(client, kind, first_day=first.isoformat(), last_day=last and last.isoformat())
    assert response.status_code == 200
    form = response.context["form"]
    assert any(e.code == code for errors in form.errors.as_data().values() for e in errors)
    assert not Absence.objects.exists()


def test_hostile_dates_and_long_notes_are_refused(client, ouder, kind):
    client.force_login(ouder)
    for data in ({"first_day": "0000-00-00"}, {"first_day": "2026-02-30"}, {"note": "x" * 1001}, {"reason": "zz"}):
        response = report(client, kind, **data)
        assert response.status_code == 200 and response.context["form"].errors
    assert not Absence.objects.exists()


# Staff record, and both see the history ----------------------------------------------------------------------


def test_staff_record_an_absence_and_the_parents_hear_of_it(client, medewerker, ouder, kind):
    client.force_login(medewerker)
    report(client, kind, reason="absent", note="Opa belde")
    absence = Absence.objects.get()
    assert (absence.side, absence.is_late) == (Side.CENTRE, False), "staff are never late"
    assert Notification.objects.filter(recipient=ouder).exists()
    client.force_login(ouder)
    page = client.get(url(kind)).content.decode()
    assert "Opa belde" in page


def test_the_history_shows_only_this_child(client, ouder, kind, kind_buur):
    AbsenceFactory(child=kind, note="eigen kind")
    AbsenceFactory(child=kind_buur, note="ander kind")
    client.force_login(ouder)
    page = client.get(url(kind)).content.decode()
    assert "eigen kind" in page and "ander kind" not in page


def test_a_staff_read_of_the_history_is_in_the_access_log(client, medewerker, ouder, kind):
    from children.models import AccessLog

    client.force_login(ouder)
    client.get(url(kind))
    assert not AccessLog.objects.exists()
    client.force_login(medewerker)
    client.get(url(kind))
    assert AccessLog.objects.get().what == "absences"


def test_withdrawing_an_absence_that_has_not_ended(client, ouder, kind, medewerker):
    current = AbsenceFactory(child=kind, first_day=days_from_today(0), last_day=days_from_today(1))
    past = AbsenceFactory(child=kind, first_day=days_from_today(-3), last_day=days_from_today(-2))
    client.force_login(ouder)
    client.post(reverse("partnership:absence_withdraw", args=[current.pk]))
    client.post(reverse("partnership:absence_withdraw", args=[past.pk]))
    current.refresh_from_db(), past.refresh_from_db()
    assert current.is_withdrawn and not past.is_withdrawn
    assert Notification.objects.filter(recipient=medewerker).exists()
    assert not Absence.objects.covering(timezone.localdate()).exists()


# Who sees what ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["ouder_buur", "ouder_elders", "medewerker_elders", "manager_elders", "trainer"])
def test_outside_the_childs_circle_everything_is_404(client, request, kind, person):
    absence = AbsenceFactory(child=kind)
    client.force_login(request.getfixturevalue(person))
    assert client.get(url(kind)).status_code == 404
    assert report(client, kind).status_code == 404
    assert client.post(reverse("partnership:absence_withdraw", args=[absence.pk])).status_code == 404
    assert Absence.objects.count() == 1 and not Absence.objects.get().is_withdrawn


@pytest.mark.parametrize("person", ["ouder", "medewerker", "manager"])
def test_the_childs_circle_opens_the_page(client, request, kind, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(url(kind)).status_code == 200


def test_anonymous_visitors_go_to_the_login(client, kind, centrum):
    absence = AbsenceFactory(child=kind)
    for target in (
        url(kind),
        reverse("partnership:absence_withdraw", args=[absence.pk]),
        reverse("partnership:team_settings", args=[centrum.pk]),
    ):
        response = client.post(target) if "withdraw" in target else client.get(target)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_visible_to_per_role(kind, kind_elders, ouder, medewerker, manager, ouder_elders, trainer):
    own = AbsenceFactory(child=kind)
    AbsenceFactory(child=kind_elders)
    for person in (ouder, medewerker, manager):
        assert list(Absence.objects.visible_to(person)) == [own]
    assert own not in Absence.objects.visible_to(ouder_elders)
    assert not Absence.objects.visible_to(trainer).exists()


# Overview and home -----------------------------------------------------------------------------------------------


def test_staff_see_todays_and_tomorrows_absences_on_the_overview_and_home(client, medewerker, kind, kind_buur, groep):
    AbsenceFactory(child=kind, first_day=days_from_today(0), last_day=days_from_today(0), is_late=True)
    AbsenceFactory(child=kind_buur, first_day=days_from_today(1), last_day=days_from_today(3), reason="absent")
    AbsenceFactory(child=kind_buur, first_day=days_from_today(-5), last_day=days_from_today(-4))
    client.force_login(medewerker)
    response = client.get(reverse("partnership:group_overview"))
    today, tomorrow = response.context["absence_days"]
    assert [child for child, _reason, _late in today[1]] == [kind]
    assert today[1][0][2] is True, "a late report is marked late on the overview"
    assert [child for child, _reason, _late in tomorrow[1]] == [kind_buur]
    # On the overview's list and on the staff home, each child's row says it too (no extra query).
    for page_url in (reverse("partnership:group_overview"), reverse("home")):
        html = client.get(page_url).content.decode()
        row = html.split(f'data-child="{kind.pk}"')[1].split("</li>")[0]
        assert "absent-today" in row and "absent-tomorrow" not in row
        row = html.split(f'data-child="{kind_buur.pk}"')[1].split("</li>")[0]
        assert "absent-tomorrow" in row and "absent-today" not in row


def test_the_overview_does_not_show_other_groups_absences(client, medewerker, andere_groep):
    other = ChildFactory(group=andere_groep)
    AbsenceFactory(child=other)
    client.force_login(medewerker)
    today, _tomorrow = client.get(reverse("partnership:group_overview")).context["absence_days"]
    assert today[1] == []


@pytest.mark.parametrize("size", [2, 12])
def test_history_and_overview_queries_do_not_grow(client, medewerker, groep, size, django_assert_max_num_queries):
    children = ChildFactory.create_batch(size, group=groep)
    for child in children:
        AbsenceFactory.create_batch(2, child=child, first_day=days_from_today(0), last_day=days_from_today(1))
    client.force_login(medewerker)
    client.get(url(children[0]))  # warm up sessions and the access log
    with django_assert_max_num_queries(12):
        assert client.get(url(children[0])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("partnership:group_overview")).status_code == 200


def test_demo_data_has_absences_and_is_idempotent():
    from django.core.management import call_command

    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    count = Absence.objects.count()
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Absence.objects.count() == count >= 3
    assert Absence.objects.covering(timezone.localdate()).filter(child__first_name="Sam").exists()


def _opened(client, address):
    """The settings form as the person's browser holds it after opening the page: {name: [values]}."""
    form = pick_form(client.get(address).content.decode())
    values = {}
    for name, value in form.browser_data():
        values.setdefault(name, []).append(value)
    return values


def test_two_managers_saving_the_settings_at_once_the_second_is_refused(manager, centrum):
    other = UserFactory(email="tweede.manager@example.org", name="Ruud Smit")
    MembershipFactory(user=other, centre=centrum, role=Membership.Role.MANAGER)
    address = reverse("partnership:team_settings", args=[centrum.pk])
    first, second = Client(), Client()
    first.force_login(manager)
    second.force_login(other)
    # Both open the page (the row with the defaults exists from the first look) ...
    seen_first, seen_second = _opened(first, address), _opened(second, address)
    assert seen_first["version"] == seen_second["version"]
    # ... the first saves a later cut-off, the second then saves other hours on the page it saw.
    assert first.post(address, {**seen_first, "absence_cutoff": "10:30"}).status_code == 302
    refused = second.post(address, {**seen_second, "answer_from": "07:00"})
    assert refused.status_code == 200
    assert "stale_version" in [e.code for e in refused.context["form"].non_field_errors().as_data()]
    team = TeamSettings.objects.get(centre=centrum)
    assert team.absence_cutoff == datetime.time(10, 30) and team.answer_from != datetime.time(7, 0)
    # The refused page keeps the typed hours and carries the new version: saving again is a deliberate choice.
    again = pick_form(refused.content.decode())
    values = {}
    for name, value in again.browser_data():
        values.setdefault(name, []).append(value)
    assert values["answer_from"] == ["07:00"]
    assert "absence_cutoff" in refused.context["form"].errors, "the other manager's cut-off is shown beside it"
    values["absence_cutoff"] = ["10:30"]  # the person takes over the other's change and saves again
    assert second.post(address, values).status_code == 302
    team.refresh_from_db()
    assert team.absence_cutoff == datetime.time(10, 30) and team.answer_from == datetime.time(7, 0)
