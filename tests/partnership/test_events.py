"""Events: who is invited, answers, capacity and the waiting list, and the reminder rows they plan."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from notifications.models import Notification
from partnership.models import Event, Reminder, Rsvp
from partnership.services import events as event_services
from tests.factories import ChildFactory, GuardianshipFactory, UserFactory

from .event_factories import EventFactory, RsvpFactory

pytestmark = pytest.mark.django_db


def visible(user):
    return set(Event.objects.visible_to(user))


def test_centre_event_is_visible_to_parents_and_staff_of_that_centre_only(everyone, centrum):
    event = EventFactory(centre=centrum)
    for name in ("ouder", "ouder_buur", "medewerker", "manager"):
        assert event in visible(everyone[name]), name
    for name in ("ouder_elders", "medewerker_elders", "manager_elders", "trainer"):
        assert event not in visible(everyone[name]), name


def test_group_event_invites_only_parents_of_those_groups(ouder, ouder_buur, medewerker, centrum, andere_groep):
    other_child = ChildFactory(group=andere_groep)
    other_parent = UserFactory()
    GuardianshipFactory(user=other_parent, child=other_child)
    event = EventFactory(centre=centrum, groups=[andere_groep])
    assert event in visible(other_parent)
    assert event not in visible(ouder)
    assert event in visible(medewerker), "staff see every event of their centre"
    assert set(event.invited_parents()) == {other_parent}


def test_new_parents_event_invites_parents_of_children_starting_around_it(ouder, kind, groep, centrum):
    kind.start_date = timezone.localdate() - timedelta(days=200)
    kind.save()
    event = EventFactory(centre=centrum, for_new_parents=True, new_parents_weeks=4)
    newcomer = ChildFactory(group=groep, start_date=timezone.localdate(event.starts_at) + timedelta(days=20))
    new_parent = UserFactory()
    GuardianshipFactory(user=new_parent, child=newcomer)
    assert event in visible(new_parent)
    assert event not in visible(ouder)
    assert set(event.invited_parents()) == {new_parent}


def test_a_child_that_left_no_longer_invites(ouder, kind, centrum):
    event = EventFactory(centre=centrum)
    kind.end_date = timezone.localdate()
    kind.save()
    assert event not in visible(ouder)


def test_visible_to_and_invited_parents_agree(everyone, centrum, groep, andere_groep):
    """The queryset rule and the per-event rule must never drift apart."""
    events = [
        EventFactory(centre=centrum),
        EventFactory(centre=centrum, groups=[groep]),
        EventFactory(centre=centrum, groups=[andere_groep]),
        EventFactory(centre=centrum, for_new_parents=True),
    ]
    parents = [everyone["ouder"], everyone["ouder_buur"], everyone["ouder_elders"]]
    for event in events:
        invited = set(event.invited_parents())
        for parent in parents:
            assert (event in visible(parent)) == (parent in invited), (event, parent)


def test_answer_yes_plans_two_reminders_and_no_withdraws_them(ouder, centrum):
    event = EventFactory(centre=centrum)
    event.respond(ouder, Rsvp.Answer.YES)
    reminders = Reminder.objects.filter(event=event, person=ouder)
    assert {(r.kind, r.due_at) for r in reminders} == {
        (Reminder.Kind.FIRST, event.starts_at - timedelta(hours=48)),
        (Reminder.Kind.SECOND, event.starts_at - timedelta(hours=2)),
    }
    event.respond(ouder, Rsvp.Answer.NO)
    assert not Reminder.objects.filter(event=event, person=ouder).exists()


def test_maybe_also_gets_reminders_and_settings_per_event(ouder, centrum):
    event = EventFactory(centre=centrum, first_reminder_hours=24, second_reminder_hours=None)
    event.respond(ouder, Rsvp.Answer.MAYBE)
    assert list(Reminder.objects.filter(person=ouder).values_list("kind", "due_at")) == [
        (Reminder.Kind.FIRST, event.starts_at - timedelta(hours=24))
    ]


def test_answering_late_plans_only_reminders_still_ahead(ouder, centrum):
    event = EventFactory(centre=centrum, starts_at=timezone.now() + timedelta(hours=10))
    event.respond(ouder, Rsvp.Answer.YES)
    assert list(Reminder.objects.filter(person=ouder).values_list("kind", flat=True)) == [Reminder.Kind.SECOND]


def test_capacity_is_never_exceeded_and_waiting_list_moves_up(
    ouder, ouder_buur, centrum, django_capture_on_commit_callbacks
):
    event = EventFactory(centre=centrum, capacity=2, bring_someone=True)
    third = UserFactory()
    first = event.respond(ouder, Rsvp.Answer.YES, party_size=2)
    second = event.respond(ouder_buur, Rsvp.Answer.YES, party_size=1)
    waiting_too = event.respond(third, Rsvp.Answer.YES, party_size=1)
    assert not first.on_waiting_list
    assert second.on_waiting_list and waiting_too.on_waiting_list
    assert event.seats_taken() == 2
    assert not Reminder.objects.filter(person=ouder_buur, kind=Reminder.Kind.FIRST).exists()

    with django_capture_on_commit_callbacks(execute=True):
        event_services.respond(event, ouder, Rsvp.Answer.NO)
    second.refresh_from_db()
    waiting_too.refresh_from_db()
    assert not second.on_waiting_list and not waiting_too.on_waiting_list, "both fit now, first come first served"
    assert event.seats_taken() == 2
    moved_up = Reminder.objects.get(person=ouder_buur, kind=Reminder.Kind.MOVED_UP)
    assert moved_up.sent_at is not None, "the person moving up is told at once"
    assert Notification.objects.filter(recipient=ouder_buur, message__contains=event.title).exists()
    assert Reminder.objects.filter(person=ouder_buur, kind=Reminder.Kind.FIRST).exists()


def test_waiting_list_is_first_come_first_served(ouder, ouder_buur, centrum):
    event = EventFactory(centre=centrum, capacity=1, bring_someone=True)
    holder = UserFactory()
    event.respond(holder, Rsvp.Answer.YES)
    big = event.respond(ouder, Rsvp.Answer.YES, party_size=2)
    small = event.respond(ouder_buur, Rsvp.Answer.YES)
    event.respond(holder, Rsvp.Answer.NO)
    big.refresh_from_db()
    small.refresh_from_db()
    assert big.on_waiting_list, "the first in line does not fit, so nobody jumps the queue"
    assert small.on_waiting_list


def test_a_confirmed_party_cannot_grow_beyond_the_capacity(ouder, ouder_buur, centrum):
    event = EventFactory(centre=centrum, capacity=2, bring_someone=True)
    event.respond(ouder, Rsvp.Answer.YES)
    event.respond(ouder_buur, Rsvp.Answer.YES)
    with pytest.raises(ValidationError):
        event.respond(ouder, Rsvp.Answer.YES, party_size=2)
    assert event.rsvps.get(person=ouder).party_size == 1


def test_party_size_needs_bring_someone(ouder, centrum):
    event = EventFactory(centre=centrum, bring_someone=False)
    with pytest.raises(ValidationError):
        event.respond(ouder, Rsvp.Answer.YES, party_size=2)
    assert not event.rsvps.exists()


def test_no_answers_after_start_or_cancellation(ouder, centrum):
    started = EventFactory(centre=centrum, starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(ValidationError):
        started.respond(ouder, Rsvp.Answer.YES)
    cancelled = EventFactory(centre=centrum)
    cancelled.cancel()
    with pytest.raises(ValidationError):
        cancelled.respond(ouder, Rsvp.Answer.YES)


def test_more_capacity_gives_places_to_the_waiting_list(ouder, ouder_buur, centrum):
    event = EventFactory(centre=centrum, capacity=1)
    event.respond(ouder, Rsvp.Answer.YES)
    waiting = event.respond(ouder_buur, Rsvp.Answer.YES)
    event.capacity = 2
    event.save()
    event.update_details(["capacity"])
    waiting.refresh_from_db()
    assert not waiting.on_waiting_list


def test_cancel_withdraws_reminders_and_announces_to_everyone_who_answered(ouder, ouder_buur, centrum):
    event = EventFactory(centre=centrum)
    event.respond(ouder, Rsvp.Answer.YES)
    event.respond(ouder_buur, Rsvp.Answer.NO)
    assert event.cancel()
    assert not event.cancel(), "cancelling twice does nothing"
    kinds = set(Reminder.objects.filter(event=event).values_list("person", "kind"))
    assert kinds == {(ouder.pk, Reminder.Kind.CANCELLED), (ouder_buur.pk, Reminder.Kind.CANCELLED)}


def test_moving_the_event_reschedules_and_announces(ouder, centrum):
    event = EventFactory(centre=centrum)
    event.respond(ouder, Rsvp.Answer.YES)
    first = Reminder.objects.get(person=ouder, kind=Reminder.Kind.FIRST)
    first.sent_at = timezone.now()
    first.save()
    event.starts_at += timedelta(days=7)
    event.ends_at += timedelta(days=7)
    event.save()
    event.update_details(["starts_at", "ends_at"])
    first.refresh_from_db()
    assert first.due_at == event.starts_at - timedelta(hours=48)
    assert first.sent_at is None, "moved a week later: remind again"
    assert Reminder.objects.filter(person=ouder, kind=Reminder.Kind.CHANGED).exists()
    assert event.sequence == 1


def test_changing_only_the_description_announces_nothing(ouder, centrum):
    event = EventFactory(centre=centrum)
    event.respond(ouder, Rsvp.Answer.YES)
    event.description = "Nieuwe tekst"
    event.save()
    event.update_details(["description"])
    assert not Reminder.objects.filter(kind=Reminder.Kind.CHANGED).exists()


def test_nudges_are_created_when_due_for_parents_without_answer(ouder, ouder_buur, centrum):
    event = EventFactory(centre=centrum, starts_at=timezone.now() + timedelta(hours=50), nudge_hours=72)
    RsvpFactory(event=event, person=ouder_buur, answer=Rsvp.Answer.NO)
    assert Reminder.objects.top_up_nudges() == 1
    assert Reminder.objects.top_up_nudges() == 0, "running again adds nothing"
    nudge = Reminder.objects.get(kind=Reminder.Kind.NUDGE)
    assert nudge.person == ouder
    event.respond(ouder, Rsvp.Answer.YES)
    assert not Reminder.objects.filter(kind=Reminder.Kind.NUDGE).exists(), "answering withdraws the nudge"


def test_no_nudge_before_its_time(ouder, centrum):
    EventFactory(centre=centrum, starts_at=timezone.now() + timedelta(days=10), nudge_hours=72)
    assert Reminder.objects.top_up_nudges() == 0


def test_end_must_not_be_before_start(centrum):
    event = EventFactory.build(centre=centrum)
    event.ends_at = event.starts_at - timedelta(hours=1)
    with pytest.raises(ValidationError):
        event.clean()
