"""Planning or changing an event tells the invited parents, by their preference; organisers see attendance."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from partnership.models import Event, Reminder, Rsvp
from tests.factories import ChildFactory, GuardianshipFactory, MembershipFactory, UserFactory

from .event_factories import EventFactory, RsvpFactory


def _form_data(centre, start, **extra):
    data = {
        "centre": centre.pk,
        "kind": Event.Kind.PARENT_EVENING,
        "title": "Ouderavond over wennen",
        "description": "Samen praten.",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "location": "De grote zaal",
        "capacity": "30",
        "new_parents_weeks": "6",
        "first_reminder_hours": "48",
        "second_reminder_hours": "2",
        "nudge_hours": "72",
    }
    data.update(extra)
    return data


@pytest.fixture
def start():
    return (timezone.localtime() + timedelta(days=10)).replace(hour=19, minute=30, second=0, microsecond=0)


def test_planning_tells_each_invited_parent_by_their_preference(
    client, medewerker, centrum, ouder, ouder_buur, ouder_elders, start, mailoutbox, django_capture_on_commit_callbacks
):
    ouder_buur.notification_preference = "portal"
    ouder_buur.save()
    client.force_login(medewerker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("partnership:event_create"), _form_data(centrum, start))
    assert response.status_code == 302
    event = Event.objects.get(title="Ouderavond over wennen")
    invited = Reminder.objects.filter(event=event, kind=Reminder.Kind.INVITED)
    assert set(invited.values_list("person", flat=True)) == {ouder.pk, ouder_buur.pk}
    assert all(row.sent_at for row in invited)
    # Both see it under the bell; only the parent who wants email at once gets a mail; never another centre.
    assert Notification.objects.filter(recipient=ouder, url=event.get_absolute_url()).exists()
    assert Notification.objects.filter(recipient=ouder_buur, url=event.get_absolute_url()).exists()
    assert not Notification.objects.filter(recipient=ouder_elders).exists()
    assert [m.to for m in mailoutbox] == [[ouder.email]]
    assert not Notification.objects.filter(recipient=medewerker).exists()


def test_only_the_chosen_groups_parents_are_invited(
    client, medewerker, centrum, groep, andere_groep, ouder, start, django_capture_on_commit_callbacks
):
    elsewhere = UserFactory()
    GuardianshipFactory(user=elsewhere, child=ChildFactory(group=andere_groep))
    MembershipFactory(user=medewerker, centre=centrum, role="manager")
    client.force_login(medewerker)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("partnership:event_create"), _form_data(centrum, start, groups=[groep.pk]))
    event = Event.objects.get()
    people = set(Reminder.objects.filter(event=event, kind=Reminder.Kind.INVITED).values_list("person", flat=True))
    assert people == {ouder.pk}


def test_a_change_of_time_tells_invited_parents_who_have_not_answered_too(
    client, medewerker, centrum, ouder, ouder_buur, start, django_capture_on_commit_callbacks
):
    event = EventFactory(centre=centrum, starts_at=start)
    RsvpFactory(event=event, person=ouder, answer=Rsvp.Answer.YES)
    client.force_login(medewerker)
    later = start + timedelta(days=1)
    data = _form_data(centrum, later, title=event.title)
    data.pop("centre")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("partnership:event_edit", args=[event.pk]), data)
    assert response.status_code == 302, response.content
    changed = Reminder.objects.filter(event=event, kind=Reminder.Kind.CHANGED)
    assert set(changed.values_list("person", flat=True)) == {ouder.pk, ouder_buur.pk}
    assert Notification.objects.filter(recipient=ouder_buur, url=event.get_absolute_url()).exists()


def test_parents_are_invited_once_even_when_the_event_changes(
    centrum, groep, andere_groep, ouder, django_capture_on_commit_callbacks
):
    event = EventFactory(centre=centrum, groups=[groep])
    with django_capture_on_commit_callbacks(execute=True):
        assert event.invite_parents() == 1
        assert event.invite_parents() == 0
    newcomer = UserFactory()
    GuardianshipFactory(user=newcomer, child=ChildFactory(group=andere_groep))
    event.groups.add(andere_groep)
    with django_capture_on_commit_callbacks(execute=True):
        event.update_details(["groups"])
    people = Reminder.objects.filter(event=event, kind=Reminder.Kind.INVITED).values_list("person", flat=True)
    assert sorted(people) == sorted([ouder.pk, newcomer.pk])


def test_an_invitation_is_not_sent_to_a_parent_who_already_answered(centrum, ouder):
    event = EventFactory(centre=centrum)
    RsvpFactory(event=event, person=ouder, answer=Rsvp.Answer.NO)
    row = Reminder.objects.create(event=event, person=ouder, kind=Reminder.Kind.INVITED, due_at=timezone.now())
    assert not row.is_wanted()


@pytest.fixture
def event(centrum, medewerker):
    return EventFactory(centre=centrum, title="Koffieochtend", created_by=medewerker, capacity=20)


@pytest.mark.parametrize("who", ["medewerker", "manager"])
def test_organisers_see_attendance_not_an_answer_form(client, request, who, event, ouder):
    RsvpFactory(event=event, person=ouder, answer=Rsvp.Answer.YES)
    client.force_login(request.getfixturevalue(who))
    detail = client.get(event.get_absolute_url()).text
    assert reverse("partnership:event_respond", args=[event.pk]) not in detail
    assert "event-attendance" in detail and reverse("partnership:event_attendees", args=[event.pk]) in detail
    for page in (client.get(reverse("partnership:event_list")).text, client.get("/").text):
        assert "text-bg-light border" not in page  # the "not answered yet" badge
        assert "event-attendance" in page


def test_parents_still_get_the_answer_form_and_the_not_answered_badge(client, ouder, event):
    client.force_login(ouder)
    assert reverse("partnership:event_respond", args=[event.pk]) in client.get(event.get_absolute_url()).text
    listing = client.get(reverse("partnership:event_list")).text
    assert "text-bg-light border" in listing and "event-attendance" not in listing


def test_staff_who_is_also_a_parent_here_can_answer(client, medewerker, kind, event):
    GuardianshipFactory(user=medewerker, child=kind)
    client.force_login(medewerker)
    detail = client.get(event.get_absolute_url()).text
    assert reverse("partnership:event_respond", args=[event.pk]) in detail
