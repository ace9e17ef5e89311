"""Sending reminder rows: once, by preference and language, never for people or events that no longer need it."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from common.dispatch import dispatch_due
from notifications.models import Notification
from partnership.models import ChildAgreement, Reminder, Rsvp
from partnership.services import events as event_services
from partnership.tasks import dispatch_reminders
from tests.factories import UserFactory

from .event_factories import ChildAgreementFactory, EventFactory, ReminderFactory, RsvpFactory

pytestmark = pytest.mark.django_db


def due_reminders():
    return Reminder.objects.due()


def test_due_reminders_are_sent_once(ouder, centrum, mailoutbox):
    event = EventFactory(centre=centrum, title="Koffieochtend", starts_at=timezone.now() + timedelta(days=3))
    event.respond(ouder, Rsvp.Answer.YES)
    Reminder.objects.filter(person=ouder).update(due_at=timezone.now() - timedelta(minutes=1))
    assert dispatch_reminders() == 2
    assert dispatch_reminders() == 0
    assert len(mailoutbox) == 2
    assert all(m.to == [ouder.email] for m in mailoutbox)
    assert "Koffieochtend" in mailoutbox[0].subject
    assert event.get_absolute_url() in mailoutbox[0].body
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=ouder, emailed_at__isnull=False).count() == 2


def test_reminders_not_yet_due_wait(ouder, centrum, mailoutbox):
    event = EventFactory(centre=centrum)
    event.respond(ouder, Rsvp.Answer.YES)
    assert dispatch_reminders() == 0
    assert mailoutbox == []


def test_no_after_planning_gets_no_reminder(ouder, centrum, mailoutbox):
    event = EventFactory(centre=centrum, starts_at=timezone.now() + timedelta(hours=30))
    event.respond(ouder, Rsvp.Answer.YES)
    event.respond(ouder, Rsvp.Answer.NO)
    # Even a row that somehow survived is checked again when it is due.
    ReminderFactory(event=event, person=ouder, kind=Reminder.Kind.SECOND, due_at=timezone.now())
    assert dispatch_reminders() == 0
    assert mailoutbox == []
    assert Reminder.objects.get(kind=Reminder.Kind.SECOND).sent_at is not None, "handled, so never tried again"


def test_a_reminder_overdue_while_the_worker_was_down_is_still_sent(ouder, centrum, mailoutbox):
    event = EventFactory(centre=centrum, starts_at=timezone.now() + timedelta(hours=1))
    ReminderFactory(event=event, person=ouder, kind=Reminder.Kind.FIRST, due_at=timezone.now() - timedelta(hours=47))
    RsvpFactory(event=event, person=ouder, answer=Rsvp.Answer.YES)
    assert dispatch_reminders() == 1
    assert len(mailoutbox) == 1


def test_no_reminder_once_the_event_has_started(ouder, centrum, mailoutbox):
    event = EventFactory(centre=centrum, starts_at=timezone.now() + timedelta(hours=3))
    event.respond(ouder, Rsvp.Answer.YES)
    Reminder.objects.update(due_at=timezone.now() - timedelta(hours=50))
    event.starts_at = timezone.now() - timedelta(minutes=1)
    event.save()
    assert dispatch_reminders() == 0
    assert mailoutbox == []
    assert not Reminder.objects.filter(sent_at__isnull=True).exists(), "stale rows are cleared"


@pytest.mark.parametrize(
    "preference, mails, emailed", [("instant", 1, True), ("digest", 0, False), ("portal", 0, False)]
)
def test_reminders_follow_the_notification_preference(centrum, kind, mailoutbox, preference, mails, emailed):
    from tests.factories import GuardianshipFactory

    parent = UserFactory(notification_preference=preference)
    GuardianshipFactory(user=parent, child=kind)
    event = EventFactory(centre=centrum, second_reminder_hours=None)
    event.respond(parent, Rsvp.Answer.YES)
    Reminder.objects.update(due_at=timezone.now())
    dispatch_reminders()
    assert len(mailoutbox) == mails
    notification = Notification.objects.get(recipient=parent)
    assert (notification.emailed_at is not None) == emailed
    assert notification.url == event.get_absolute_url()


def test_reminders_are_written_in_each_persons_language(centrum, kind, mailoutbox):
    from tests.factories import GuardianshipFactory

    english = UserFactory(language="en")
    dutch = UserFactory(language="nl")
    for person in (english, dutch):
        GuardianshipFactory(user=person, child=kind)
    monday = timezone.localtime() + timedelta(days=(7 - timezone.localtime().weekday()) % 7 or 7)
    start = monday.replace(hour=19, minute=30, second=0, microsecond=0)
    event = EventFactory(centre=centrum, starts_at=start, ends_at=start + timedelta(hours=2))
    for person in (english, dutch):
        event.respond(person, Rsvp.Answer.YES)
    Reminder.objects.update(due_at=timezone.now())
    dispatch_reminders()
    english_mail = next(m for m in mailoutbox if m.to == [english.email])
    dutch_mail = next(m for m in mailoutbox if m.to == [dutch.email])
    assert "Monday" in english_mail.body and "Hello" in english_mail.body
    assert "maandag" in dutch_mail.body


def test_the_nudge_reaches_invited_parents_who_did_not_answer(ouder, ouder_buur, centrum, mailoutbox):
    event = EventFactory(centre=centrum, title="Thema-avond", starts_at=timezone.now() + timedelta(hours=40))
    event.respond(ouder_buur, Rsvp.Answer.MAYBE)
    dispatch_reminders()
    assert [m.to for m in mailoutbox] == [[ouder.email]]
    assert event.get_absolute_url() in mailoutbox[0].body
    dispatch_reminders()
    assert len(mailoutbox) == 1, "one nudge only"


def test_a_change_is_sent_at_once(ouder, centrum, mailoutbox, django_capture_on_commit_callbacks):
    event = EventFactory(centre=centrum)
    event.respond(ouder, Rsvp.Answer.YES)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event.location = "Gymzaal"
        event.save()
        event_services.update_details(event, ["location"])
    assert len(mailoutbox) == 1
    assert "Gymzaal" in mailoutbox[0].body


def test_dispatch_due_leaves_a_failing_row_for_the_next_run(ouder, centrum):
    event = EventFactory(centre=centrum)
    ReminderFactory(event=event, person=ouder)

    def broken(row):
        raise OSError("mail server down")

    result = dispatch_due(due_reminders(), broken)
    assert (result.sent, result.failed) == (0, 1)
    assert Reminder.objects.get().sent_at is None
    result = dispatch_due(due_reminders(), lambda row: True)
    assert result.sent == 1


def test_dispatch_due_works_in_batches(ouder, centrum):
    event = EventFactory(centre=centrum)
    for kind in (Reminder.Kind.FIRST, Reminder.Kind.SECOND, Reminder.Kind.NUDGE):
        ReminderFactory(event=event, person=ouder, kind=kind)
    first = dispatch_due(due_reminders(), lambda row: True, batch_size=2)
    assert (first.sent, first.more) == (2, True)
    second = dispatch_due(due_reminders(), lambda row: True, batch_size=2)
    assert (second.sent, second.more) == (1, False)


def test_the_task_carries_on_with_a_backlog(ouder, centrum, settings, mailoutbox):
    settings.REMINDER_BATCH_SIZE = 2
    for _ in range(3):
        event = EventFactory(centre=centrum, second_reminder_hours=None)
        event.respond(ouder, Rsvp.Answer.YES)
    Reminder.objects.update(due_at=timezone.now())
    dispatch_reminders()  # eager: the follow-up runs right away
    assert len(mailoutbox) == 3
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()


def test_agreement_review_reminds_both_sides_once(ouder, medewerker, kind, django_capture_on_commit_callbacks):
    agreement = ChildAgreementFactory(
        child=kind, status=ChildAgreement.Status.ACCEPTED, review_date=timezone.localdate(), proposed_by=ouder
    )
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_reminders()
        dispatch_reminders()
    agreement.refresh_from_db()
    assert agreement.review_reminded_at is not None
    assert set(Notification.objects.values_list("recipient", flat=True)) == {ouder.pk, medewerker.pk}
    assert Notification.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_row_locked_by_another_worker_is_skipped_not_waited_for(ouder, centrum):
    event = EventFactory(centre=centrum)
    reminder = ReminderFactory(event=event, person=ouder)
    locked = threading.Event()
    release = threading.Event()

    def other_worker():
        with transaction.atomic():
            Reminder.objects.select_for_update().get(pk=reminder.pk)
            locked.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(10)
        sent = []
        result = dispatch_due(due_reminders(), sent.append)
        assert sent == [] and result.sent == 0
    finally:
        release.set()
        thread.join()
    reminder.refresh_from_db()
    assert reminder.sent_at is None
