"""A reminder or announcement that cannot be delivered is given up, shown to the event's organisers, and never
blocks the rows behind it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from partnership.models import Reminder, Rsvp
from partnership.services.reminders import MAX_ATTEMPTS
from partnership.tasks import dispatch_reminders
from tests.factories import GuardianshipFactory, UserFactory

from .event_factories import EventFactory, ReminderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(centrum, groep):
    return EventFactory(centre=centrum, groups=[groep], title="Ouderavond slapen", second_reminder_hours=None)


def attending(event, email):
    person = UserFactory(email=email, notification_preference="instant")
    GuardianshipFactory(user=person, child__group=event.groups.first())
    event.respond(person, Rsvp.Answer.YES)
    return person


def announce(event, *people):
    """A "place changed" announcement to each of them, due now."""
    return [
        ReminderFactory(event=event, person=person, kind=Reminder.Kind.CHANGED, due_at=timezone.now())
        for person in people
    ]


def test_a_poisoned_announcement_is_given_up_and_the_others_go_out(client, event, manager):
    poisoned = attending(event, "ouder@example.org\nBcc: iedereen@example.org")  # a hand-made row
    others = [attending(event, f"ouder{n}@example.org") for n in range(3)]
    rows = announce(event, poisoned, *others)
    mail.outbox.clear()

    assert dispatch_reminders() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in others)
    failed = Reminder.objects.get(pk=rows[0].pk)
    assert failed.failed_at and failed.sent_at is None and failed.attempts == 1
    assert "BadHeaderError" in failed.last_error
    assert not poisoned.notifications.exists()  # nothing half-done: the bell item went with the failed mail

    # It is not tried again on the next runs.
    assert dispatch_reminders() == 0
    assert Reminder.objects.get(pk=failed.pk).attempts == 1
    assert len(mail.outbox) == 3

    # The organisers see who was not told; parents do not.
    client.force_login(manager)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "data-undelivered" in page and str(poisoned) in page
    client.force_login(others[0])
    assert "data-undelivered" not in client.get(event.get_absolute_url()).content.decode()


def test_a_passing_failure_is_tried_a_few_times_then_given_up(event, settings, manager):
    person = attending(event, "ouder@example.org")
    [row] = announce(event, person)
    settings.EMAIL_BACKEND = "tests.partnership.test_reminder_failures.DownBackend"
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert dispatch_reminders() == 0
        row.refresh_from_db()
        assert row.attempts == attempt
        assert (row.failed_at is not None) == (attempt == MAX_ATTEMPTS)
    assert "ConnectionRefusedError" in row.last_error

    # Planned again by a later change: a new round of tries, and this time the mail server is back.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Reminder.objects.filter(pk=row.pk).update(due_at=timezone.now() + timedelta(seconds=1))
    Reminder.objects.filter(pk=row.pk).update(due_at=timezone.now())
    mail.outbox.clear()
    assert dispatch_reminders() == 1
    assert [m.to for m in mail.outbox] == [[person.email]]


def test_the_health_check_does_not_count_given_up_rows_as_waiting(client, event):
    person = attending(event, "ouder@example.org\nCc: x@example.org")
    [row] = announce(event, person)
    Reminder.objects.filter(pk=row.pk).update(due_at=timezone.now() - timedelta(hours=1))
    dispatch_reminders()
    queue = client.get("/health/ready").json()["queues"]["event_reminders"]
    assert queue == {"status": "ok", "oldest_age_seconds": 0}


class DownBackend:
    """A mail server that cannot be reached."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")
