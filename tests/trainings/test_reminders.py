"""Reminders before sessions: rows written with the booking, sent once by the periodic dispatcher."""

from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone

from notifications.models import Notification
from trainings import tasks
from trainings.models import Booking, TrainingReminder
from trainings.services import change_booking_status, schedule_reminders

from .factories import ParticipantFactory, TrainingSessionFactory


@pytest.fixture
def session(confirmed_booking):
    start = timezone.now().replace(microsecond=0) + timedelta(days=10)
    return TrainingSessionFactory(booking=confirmed_booking, starts_at=start, ends_at=start + timedelta(hours=2))


@pytest.fixture
def participants(confirmed_booking, ouder):
    return [
        ParticipantFactory(booking=confirmed_booking, user=ouder, email=ouder.email, name=ouder.name),
        ParticipantFactory(booking=confirmed_booking, email="gast@example.org"),
    ]


def make_due(kind):
    TrainingReminder.objects.filter(kind=kind).update(due_at=timezone.now() - timedelta(minutes=1))


def test_one_row_per_session_participant_and_kind(confirmed_booking, session, participants):
    schedule_reminders(confirmed_booking)
    schedule_reminders(confirmed_booking)  # running it again changes nothing
    rows = TrainingReminder.objects.all()
    assert rows.count() == 4
    assert {r.due_at for r in rows} == {session.starts_at - timedelta(days=7), session.starts_at - timedelta(days=1)}


def test_no_reminder_whose_moment_has_passed(confirmed_booking, participants):
    start = timezone.now() + timedelta(days=3)
    TrainingSessionFactory(booking=confirmed_booking, starts_at=start, ends_at=start + timedelta(hours=2))
    schedule_reminders(confirmed_booking)
    assert set(TrainingReminder.objects.values_list("kind", flat=True)) == {TrainingReminder.Kind.DAY_BEFORE}


def test_dispatcher_sends_due_reminders_once(
    confirmed_booking, session, participants, ouder, mailoutbox, django_capture_on_commit_callbacks
):
    schedule_reminders(confirmed_booking)
    make_due(TrainingReminder.Kind.WEEK_BEFORE)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.dispatch_training_reminders.delay().get() == 2
        assert tasks.dispatch_training_reminders.delay().get() == 0
    assert Notification.objects.filter(recipient=ouder).count() == 1
    guest = [m for m in mailoutbox if m.to == ["gast@example.org"]]
    assert len(guest) == 1
    assert confirmed_booking.offering.title in guest[0].subject
    assert TrainingReminder.objects.filter(sent_at__isnull=False).count() == 2


def test_a_failing_mail_server_leaves_the_reminder_for_the_next_run(
    confirmed_booking, session, participants, settings, mailoutbox
):
    schedule_reminders(confirmed_booking)
    make_due(TrainingReminder.Kind.WEEK_BEFORE)
    settings.EMAIL_BACKEND = "tests.trainings.mail.FailingBackend"
    tasks.dispatch_training_reminders.delay()
    guest_row = TrainingReminder.objects.get(kind="week", participant__user__isnull=True)
    assert guest_row.sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    tasks.dispatch_training_reminders.delay()
    guest_row.refresh_from_db()
    assert guest_row.sent_at is not None


def test_a_cancelled_booking_sends_no_reminders(confirmed_booking, session, participants, trainer, mailoutbox):
    schedule_reminders(confirmed_booking)
    change_booking_status(confirmed_booking, Booking.Status.CANCELLED, actor=trainer)
    assert not TrainingReminder.objects.exists()
    assert tasks.dispatch_training_reminders.delay().get() == 0


def test_new_participants_get_reminders_for_existing_sessions(confirmed_booking, session, participants, ouder_buur):
    schedule_reminders(confirmed_booking)
    ParticipantFactory(booking=confirmed_booking, user=ouder_buur, email=ouder_buur.email)
    schedule_reminders(confirmed_booking)
    assert TrainingReminder.objects.filter(participant__user=ouder_buur).count() == 2


def test_a_moved_session_moves_its_reminders_and_sends_again(confirmed_booking, session, participants):
    schedule_reminders(confirmed_booking)
    TrainingReminder.objects.update(sent_at=timezone.now())
    session.starts_at += timedelta(days=14)
    session.ends_at += timedelta(days=14)
    session.save()
    schedule_reminders(confirmed_booking)
    assert not TrainingReminder.objects.filter(sent_at__isnull=False).exists()
    assert set(TrainingReminder.objects.values_list("due_at", flat=True)) == {
        session.starts_at - timedelta(days=7),
        session.starts_at - timedelta(days=1),
    }


def test_the_dispatcher_runs_every_minute_on_the_beat():
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].endswith("dispatch_training_reminders"))
    assert entry["schedule"] == crontab()  # every minute


def test_a_reminder_that_cannot_be_sent_is_given_up_and_the_others_go_out(
    confirmed_booking, session, participants, mailoutbox, django_capture_on_commit_callbacks
):
    ParticipantFactory(booking=confirmed_booking, email="kapot@example.org\nBcc: iedereen@example.org")  # hand-made
    schedule_reminders(confirmed_booking)
    make_due(TrainingReminder.Kind.WEEK_BEFORE)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.dispatch_training_reminders() == 2
        assert tasks.dispatch_training_reminders() == 0  # not tried again
    failed = TrainingReminder.objects.get(
        kind=TrainingReminder.Kind.WEEK_BEFORE, participant__email__startswith="kapot"
    )
    assert (
        failed.failed_at and failed.sent_at is None and failed.attempts == 1 and "BadHeaderError" in failed.last_error
    )
    addresses = [address for m in mailoutbox for address in m.to]
    assert "gast@example.org" in addresses and not any(a.startswith("kapot") for a in addresses)
