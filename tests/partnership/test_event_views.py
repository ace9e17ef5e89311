"""Event pages for every role: who sees, answers, plans, changes, cancels and exports what."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from partnership.models import CalendarFeed, Event, Reminder, Rsvp
from tests.factories import GuardianshipFactory, UserFactory

from .event_factories import EventFactory, RsvpFactory

pytestmark = pytest.mark.django_db


CENTRE_ONE_PARENTS = ["ouder", "ouder_buur"]
CENTRE_ONE_STAFF = ["medewerker", "manager"]
OUTSIDERS = ["ouder_elders", "medewerker_elders", "manager_elders", "trainer"]
EVERYONE = CENTRE_ONE_PARENTS + CENTRE_ONE_STAFF + OUTSIDERS


@pytest.fixture
def event(centrum, medewerker):
    return EventFactory(
        centre=centrum, title="Ouderavond slapen", kind=Event.Kind.PARENT_EVENING, created_by=medewerker, capacity=30
    )


def as_user(client, everyone, name):
    if name != "anonymous":
        client.force_login(everyone[name])
    return client


def expected(name, allowed):
    if name == "anonymous":
        return 302
    return 200 if name in allowed else 404


@pytest.mark.parametrize("name", [*EVERYONE, "anonymous"])
def test_event_detail_per_role(client, everyone, event, name):
    response = as_user(client, everyone, name).get(event.get_absolute_url())
    assert response.status_code == expected(name, CENTRE_ONE_PARENTS + CENTRE_ONE_STAFF)
    if response.status_code == 200:
        assert "Ouderavond slapen" in response.text


@pytest.mark.parametrize("name", [*EVERYONE, "anonymous"])
def test_event_ics_per_role(client, everyone, event, name):
    response = as_user(client, everyone, name).get(reverse("partnership:event_ics", args=[event.pk]))
    assert response.status_code == expected(name, CENTRE_ONE_PARENTS + CENTRE_ONE_STAFF)
    if response.status_code == 200:
        assert response["Content-Type"].startswith("text/calendar")
        calendar = Calendar.from_ical(response.content)
        (entry,) = calendar.walk("VEVENT")
        assert str(entry["summary"]) == "Ouderavond slapen"
        assert entry.decoded("dtstart") == event.starts_at
        assert str(entry["url"]).endswith(event.get_absolute_url())


@pytest.mark.parametrize(
    "url_name", ["event_edit", "event_cancel", "event_attendees", "event_attendees_csv"], ids=lambda n: n
)
@pytest.mark.parametrize("name", [*EVERYONE, "anonymous"])
def test_staff_pages_per_role(client, everyone, event, name, url_name):
    response = as_user(client, everyone, name).get(reverse(f"partnership:{url_name}", args=[event.pk]))
    assert response.status_code == expected(name, CENTRE_ONE_STAFF)


@pytest.mark.parametrize("name", [*EVERYONE, "anonymous"])
def test_plan_event_page_per_role(client, everyone, name):
    response = as_user(client, everyone, name).get(reverse("partnership:event_create"))
    assert response.status_code == expected(name, CENTRE_ONE_STAFF + ["medewerker_elders", "manager_elders"])


@pytest.mark.parametrize("name", [*EVERYONE, "anonymous"])
def test_event_list_per_role(client, everyone, event, name):
    response = as_user(client, everyone, name).get(reverse("partnership:event_list"))
    if name == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert ("Ouderavond slapen" in response.text) == (name in CENTRE_ONE_PARENTS + CENTRE_ONE_STAFF)


@pytest.mark.parametrize("name", [*EVERYONE, "anonymous"])
def test_answer_per_role(client, everyone, event, name):
    response = as_user(client, everyone, name).post(
        reverse("partnership:event_respond", args=[event.pk]), {"answer": "yes", "party_size": 1}
    )
    allowed = CENTRE_ONE_PARENTS + CENTRE_ONE_STAFF
    assert response.status_code == (302 if name == "anonymous" or name in allowed else 404)
    if name in allowed:
        assert event.rsvps.filter(person=everyone[name], answer="yes").exists()
    elif name != "anonymous":
        assert not event.rsvps.exists()


def test_staff_plan_a_coffee_morning_for_new_parents(client, medewerker, centrum, groep):
    client.force_login(medewerker)
    start = (timezone.localtime() + timedelta(days=10)).replace(hour=9, minute=30, second=0, microsecond=0)
    data = {
        "centre": centrum.pk,
        "kind": Event.Kind.COFFEE_MORNING,
        "title": "Welkomstkoffie",
        "description": "Kennismaken met andere nieuwe ouders.",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Koffiehoek",
        "capacity": "12",
        "bring_someone": "on",
        "groups": [groep.pk],
        "for_new_parents": "on",
        "new_parents_weeks": "6",
        "first_reminder_hours": "48",
        "second_reminder_hours": "2",
        "nudge_hours": "72",
    }
    response = client.post(reverse("partnership:event_create"), data)
    event = Event.objects.get(title="Welkomstkoffie")
    assert response.status_code == 302 and response.url == event.get_absolute_url()
    assert event.created_by == medewerker and event.for_new_parents and list(event.groups.all()) == [groep]
    assert event.starts_at == start
    # A double submit does not plan the event twice.
    again = client.post(reverse("partnership:event_create"), data)
    assert again.status_code == 200
    assert Event.objects.filter(title="Welkomstkoffie").count() == 1
    assert "already exists" in again.text or "bestaat al" in again.text


def test_plan_event_rejects_bad_input_and_keeps_it(client, manager, centrum, centrum_elders):
    from tests.factories import GroupFactory

    foreign_group = GroupFactory(centre=centrum_elders)
    client.force_login(manager)
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("partnership:event_create"),
        {
            "centre": centrum.pk,
            "kind": Event.Kind.WORKSHOP,
            "title": "Workshop voorlezen",
            "starts_at": past,
            "ends_at": past,
            "groups": [foreign_group.pk],
            "new_parents_weeks": "6",
        },
    )
    assert response.status_code == 200
    assert not Event.objects.exists()
    assert "Workshop voorlezen" in response.text
    assert response.context["form"].errors.keys() >= {"starts_at", "groups"}


def test_staff_cannot_plan_for_another_centre(client, medewerker, centrum_elders):
    client.force_login(medewerker)
    start = timezone.localtime() + timedelta(days=3)
    response = client.post(
        reverse("partnership:event_create"),
        {
            "centre": centrum_elders.pk,
            "kind": Event.Kind.LECTURE,
            "title": "Lezing",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "new_parents_weeks": "6",
        },
    )
    assert response.status_code == 200
    assert "centre" in response.context["form"].errors
    assert not Event.objects.exists()


def test_parent_answers_with_htmx_and_changes_the_answer(client, ouder, event):
    client.force_login(ouder)
    url = reverse("partnership:event_respond", args=[event.pk])
    response = client.post(url, {"answer": "maybe", "party_size": 1}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="rsvp"' in response.text and "<html" not in response.text
    client.post(url, {"answer": "yes", "party_size": 1})
    assert event.rsvps.get(person=ouder).answer == Rsvp.Answer.YES
    assert event.rsvps.count() == 1


def test_answer_form_errors_are_shown_not_a_500(client, ouder, event):
    client.force_login(ouder)
    url = reverse("partnership:event_respond", args=[event.pk])
    response = client.post(url, {"answer": "perhaps"})
    assert response.status_code == 400
    response = client.post(url, {"answer": "yes", "party_size": 3})  # bring_someone is off
    assert response.status_code == 400
    assert not event.rsvps.exists()


def test_full_event_puts_parent_on_waiting_list(client, ouder, ouder_buur, centrum):
    event = EventFactory(centre=centrum, capacity=1)
    RsvpFactory(event=event, person=ouder_buur)
    client.force_login(ouder)
    response = client.post(reverse("partnership:event_respond", args=[event.pk]), {"answer": "yes"}, follow=True)
    assert event.rsvps.get(person=ouder).on_waiting_list
    assert "wachtlijst" in response.text or "waiting list" in response.text


def test_edit_time_announces_to_those_who_answered(
    client, medewerker, ouder, event, django_capture_on_commit_callbacks
):
    event.respond(ouder, Rsvp.Answer.YES)
    client.force_login(medewerker)
    new_start = timezone.localtime(event.starts_at) + timedelta(days=1)
    data = {
        "kind": event.kind,
        "title": event.title,
        "description": event.description,
        "starts_at": new_start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (new_start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Gymzaal",
        "capacity": "30",
        "new_parents_weeks": "6",
        "first_reminder_hours": "48",
        "second_reminder_hours": "2",
        "nudge_hours": "72",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("partnership:event_edit", args=[event.pk]), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.location == "Gymzaal" and event.sequence == 1
    changed = Reminder.objects.get(event=event, person=ouder, kind=Reminder.Kind.CHANGED)
    assert changed.sent_at is not None
    assert Reminder.objects.get(
        event=event, person=ouder, kind=Reminder.Kind.FIRST
    ).due_at == event.starts_at - timedelta(hours=48)


def test_cancel_needs_confirmation_then_tells_everyone(
    client, manager, ouder, event, mailoutbox, django_capture_on_commit_callbacks
):
    event.respond(ouder, Rsvp.Answer.YES)
    client.force_login(manager)
    url = reverse("partnership:event_cancel", args=[event.pk])
    assert client.post(url, {}).status_code == 200
    event.refresh_from_db()
    assert not event.is_cancelled
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.is_cancelled
    assert [m.to for m in mailoutbox] == [[ouder.email]]
    assert event.title in mailoutbox[0].subject
    # A cancelled event can no longer be edited.
    response = client.get(reverse("partnership:event_edit", args=[event.pk]))
    assert response.status_code == 302


def test_attendee_list_and_csv_export(client, medewerker, ouder, ouder_buur, kind, event):
    event.respond(ouder, Rsvp.Answer.YES)
    event.respond(ouder_buur, Rsvp.Answer.NO)
    evil = UserFactory(name="=HYPERLINK(1)")
    GuardianshipFactory(user=evil, child=kind)
    event.respond(evil, Rsvp.Answer.MAYBE)
    client.force_login(medewerker)
    page = client.get(reverse("partnership:event_attendees", args=[event.pk]))
    assert ouder.name in page.text and kind.first_name in page.text
    response = client.get(reverse("partnership:event_attendees_csv", args=[event.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 4
    by_email = {row[1]: row for row in rows[1:]}
    assert by_email[ouder.email][3] == "1"
    assert str(kind) in by_email[ouder.email][5]
    assert by_email[evil.email][0] == "'=HYPERLINK(1)", "no formulas in the spreadsheet"


def test_event_list_query_count_is_constant(client, ouder, centrum, django_assert_max_num_queries):
    client.force_login(ouder)

    def make(count):
        for _ in range(count):
            event = EventFactory(centre=centrum)
            RsvpFactory(event=event, person=ouder)
            RsvpFactory(event=event)

    make(2)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("partnership:event_list"))
    make(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("partnership:event_list"))
    assert len(response.context["page"]) == 17


def test_attendee_list_query_count_is_constant(client, medewerker, event, groep, django_assert_max_num_queries):
    from tests.factories import ChildFactory

    client.force_login(medewerker)

    def make(count):
        for _ in range(count):
            parent = UserFactory()
            GuardianshipFactory(user=parent, child=ChildFactory(group=groep))
            RsvpFactory(event=event, person=parent)

    make(2)
    url = reverse("partnership:event_attendees", args=[event.pk])
    with django_assert_max_num_queries(14) as small:
        client.get(url)
    make(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"]) == 22
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("partnership:event_attendees_csv", args=[event.pk]))


def test_past_events_list(client, ouder, centrum):
    EventFactory(centre=centrum, title="Vorige ouderavond", starts_at=timezone.now() - timedelta(days=3))
    client.force_login(ouder)
    assert "Vorige ouderavond" not in client.get(reverse("partnership:event_list")).text
    assert "Vorige ouderavond" in client.get(reverse("partnership:event_list") + "?when=past").text


def test_private_calendar_feed(client, ouder, centrum, centrum_elders):
    going = EventFactory(centre=centrum, title="Koffieochtend")
    declined = EventFactory(centre=centrum, title="Lezing")
    EventFactory(centre=centrum_elders, title="Elders")
    declined.respond(ouder, Rsvp.Answer.NO)
    going.respond(ouder, Rsvp.Answer.YES)
    going.respond(UserFactory(), Rsvp.Answer.NO)  # someone else's "no" does not hide it from this feed
    declined.respond(UserFactory(), Rsvp.Answer.YES)
    client.force_login(ouder)
    page = client.get(reverse("partnership:calendar_settings"))
    feed = CalendarFeed.objects.get(person=ouder)
    assert feed.token in page.text and "webcal://" in page.text

    client.logout()
    response = client.get(feed.get_absolute_url())
    assert response.status_code == 200
    summaries = {str(e["summary"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert summaries == {"Koffieochtend"}

    old_url = feed.get_absolute_url()
    client.force_login(ouder)
    client.post(reverse("partnership:calendar_reset"))
    client.logout()
    assert client.get(old_url).status_code == 404
    feed.refresh_from_db()
    assert client.get(feed.get_absolute_url()).status_code == 200


def test_calendar_feed_of_an_unknown_token_is_404(client):
    assert client.get(reverse("partnership:calendar_feed", args=["nope"])).status_code == 404


@pytest.mark.parametrize("name", ["trainer", "anonymous"])
def test_calendar_page_needs_login_and_shows_nothing_to_a_trainer(client, everyone, event, name):
    response = as_user(client, everyone, name).get(reverse("partnership:calendar_settings"))
    if name == "anonymous":
        assert response.status_code == 302
    else:
        feed = CalendarFeed.objects.get(person=everyone["trainer"])
        client.logout()
        calendar = Calendar.from_ical(client.get(feed.get_absolute_url()).content)
        assert calendar.walk("VEVENT") == []


@pytest.mark.parametrize("name", EVERYONE)
def test_home_shows_the_next_events(client, everyone, event, name):
    client.force_login(everyone[name])
    page = client.get("/").text
    assert ("Ouderavond slapen" in page) == (name in CENTRE_ONE_PARENTS + CENTRE_ONE_STAFF)


def test_attendee_list_names_only_children_the_viewer_may_see(client, ouder, kind, event, andere_groep, manager):
    from children.models import Membership
    from tests.factories import MembershipFactory

    other_staff = UserFactory()
    MembershipFactory(user=other_staff, centre=event.centre, role=Membership.Role.STAFF, groups=[andere_groep])
    event.respond(ouder, Rsvp.Answer.YES)
    client.force_login(other_staff)
    page = client.get(reverse("partnership:event_attendees", args=[event.pk])).text
    export = client.get(reverse("partnership:event_attendees_csv", args=[event.pk])).content.decode("utf-8-sig")
    assert ouder.name in page and ouder.name in export
    assert kind.first_name not in page and kind.first_name not in export
    client.force_login(manager)
    assert kind.first_name in client.get(reverse("partnership:event_attendees", args=[event.pk])).text


def test_plan_event_refuses_far_future_and_huge_settings(client, manager, centrum):
    client.force_login(manager)
    far = timezone.localtime().replace(year=9999, month=12, day=31, hour=20, minute=0)
    soon = timezone.localtime() + timedelta(days=3)
    base = {"centre": centrum.pk, "kind": Event.Kind.THEME_MEETING, "title": "Thema", "for_new_parents": "on"}
    response = client.post(
        reverse("partnership:event_create"),
        {**base, "starts_at": far.strftime("%Y-%m-%dT%H:%M"), "ends_at": far.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 200 and "starts_at" in response.context["form"].errors
    response = client.post(
        reverse("partnership:event_create"),
        {
            **base,
            "starts_at": soon.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (soon + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
            "new_parents_weeks": "30000",
            "first_reminder_hours": "2147483647",
            "nudge_hours": "99999",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"ends_at", "new_parents_weeks", "first_reminder_hours"}
    assert not Event.objects.exists()
