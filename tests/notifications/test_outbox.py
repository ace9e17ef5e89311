"""The outbox: with the broker unreachable every action answers normally, and its mail and notifications go
out exactly once when the sweep runs afterwards; a poisoned row is marked failed and never blocks the rest."""

import uuid
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from notifications import outbox
from notifications.models import Notification, OutboxMail
from notifications.tasks import send_outbox, send_pending_notification_mail
from partnership.models import Event, Observation, Reply, Rsvp, Theme
from partnership.tasks import dispatch_reminders, notify_new_observation
from tests.broker import DEAD, broker_at
from tests.factories import UserFactory
from tests.partnership.event_factories import EventFactory
from tests.trainings.factories import OfferingFactory
from tests.trainings.test_intake_form import stamp
from trainings.models import IntakeAnswer, IntakeRequest
from trainings.tasks import send_intake_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def intake_data(db):
    """The public intake form, filled in as a visitor does."""
    training = OfferingFactory(title="Samen opvoeden", slug="samen-opvoeden")
    return {
        "name": "Karin Jansen",
        "email": "Karin.Jansen@Example.org",
        "organisation": "Kinderopvang Het Zonnetje",
        "role": IntakeRequest.Role.MANAGER,
        "interest_choice": str(training.pk),
        "question": "Wat kost een training voor ons team?",
        "contact_method": IntakeRequest.ContactMethod.EMAIL,
        "consent": "on",
        "website": "",
        "stamp": stamp(),
    }


@pytest.fixture
def broker_down():
    """Tasks are really published, to a broker that is not there (as with Redis stopped); calling the
    fixture's value brings the test broker back (tasks run in-process again)."""
    outage = broker_at(DEAD)
    outage.__enter__()
    state = {"down": True}

    def back():
        if state["down"]:
            outage.__exit__(None, None, None)
            state["down"] = False

    yield back
    back()


def act(callback):
    """Run a request with its on-commit work (queueing tasks) as after a real commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return callback()


def sweep():
    """What beat does every minute, a minute later (the broker is back; tasks run in-process)."""
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = send_outbox()
        dispatch_reminders()
        send_pending_notification_mail()
    return sent


def mails_to():
    return Counter(address for message in mail.outbox for address in message.to)


def test_every_action_answers_normally_with_the_broker_down_and_is_sent_once_afterwards(
    client,
    broker_down,
    ouder,
    medewerker,
    manager,
    kind,
    centrum,
    groep,
    trainer,
    intake_data,
):
    for person in (ouder, medewerker, manager, trainer):
        person.notification_preference = "instant"
        person.save(update_fields=["notification_preference"])
    event = EventFactory(centre=centrum, groups=[groep], title="Koffieochtend")
    event.respond(ouder, Rsvp.Answer.YES)
    mail.outbox.clear()

    # The public intake form.
    response = act(lambda: client.post(reverse("trainings:intake_create"), intake_data))
    assert response.status_code == 302
    # A parent's observation.
    client.force_login(ouder)
    observation_data = {
        "observed_on": timezone.localdate().isoformat(),
        "theme": Theme.EATING,
        "text": "Jip at alles op.",
        "token": str(uuid.uuid4()),
    }
    response = act(lambda: client.post(reverse("partnership:observation_create", args=[kind.pk]), observation_data))
    assert response.status_code == 302
    observation = Observation.objects.get()
    # Staff reply; staff invite a parent; the manager cancels the event.
    client.force_login(medewerker)
    prefix = f"reply-{observation.pk}"
    reply = {f"{prefix}-text": "Fijn om te horen!", f"{prefix}-token": str(uuid.uuid4())}
    response = act(lambda: client.post(reverse("partnership:reply_create", args=[observation.pk]), reply))
    assert response.status_code in (200, 302)
    assert Reply.objects.filter(observation=observation).exists()
    response = act(
        lambda: client.post(
            reverse("accounts:invite_parent", args=[kind.pk]), {"name": "Tweede Ouder", "email": "tweede@example.org"}
        )
    )
    assert response.status_code == 302 and Invitation.objects.filter(email="tweede@example.org").exists()
    client.force_login(manager)
    response = act(lambda: client.post(reverse("partnership:event_cancel", args=[event.pk]), {"confirm": "on"}))
    assert response.status_code == 302
    assert Event.objects.get(pk=event.pk).is_cancelled

    # Nothing went out, nothing was lost: it waits in the outbox and in the reminders.
    assert not mail.outbox
    # The receipt, the observation's and the reply's notifications, the invitation; the trainers' notifications
    # of the intake request are rows already (their mail is swept), the cancellation is reminder rows.
    assert OutboxMail.objects.pending().count() == 4
    assert IntakeRequest.objects.get().receipt_sent_at is None

    # The broker is back; beat's sweep runs.
    broker_down()
    sweep()
    sent = mails_to()
    assert sent["karin.jansen@example.org"] == 1  # the intake receipt
    assert sent["tweede@example.org"] == 1  # the invitation
    assert sent[medewerker.email] == 1  # the parent's observation
    assert sent[ouder.email] == 2  # the reply, and the cancellation of the event
    assert sent[trainer.email] == 1  # the new intake request
    assert Notification.objects.filter(recipient=medewerker).count() == 1
    assert Notification.objects.filter(recipient=ouder).count() == 2
    assert not OutboxMail.objects.pending().exists()

    # Later sweeps find nothing more to do.
    before = len(mail.outbox)
    assert sweep() == 0
    assert len(mail.outbox) == before


def test_a_queued_task_and_the_sweep_send_a_row_once(ouder, medewerker, kind, django_capture_on_commit_callbacks):
    observation = Observation.objects.create(
        child=kind,
        author=ouder,
        side="home",
        theme=Theme.PLAYING,
        text="Bouwde een toren.",
        observed_on=timezone.localdate(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        outbox.add(notify_new_observation, observation.pk)  # the task runs at once (in-process)
    assert OutboxMail.objects.get().sent_at is not None
    assert send_outbox() == 0
    assert Notification.objects.filter(recipient=medewerker).count() == 1


@pytest.fixture
def poisoned_answer(trainer, intake_data, client):
    """An intake answer whose author's address carries a line break (a hand-made row): its Reply-To header
    can never be sent."""
    client.post(reverse("trainings:intake_create"), intake_data)
    intake = IntakeRequest.objects.get()
    author = UserFactory(email="trainer2@example.org\nBcc: everyone@example.org", is_trainer=True)
    return IntakeAnswer.objects.create(request=intake, author=author, body="Bel me maar.")


def test_a_poisoned_row_is_marked_failed_and_the_rows_behind_it_go_out(
    poisoned_answer, ouder, medewerker, kind, settings
):
    OutboxMail.objects.all().delete()
    mail.outbox.clear()
    medewerker.notification_preference = "instant"
    medewerker.save(update_fields=["notification_preference"])
    poisoned = outbox.add(send_intake_answer, poisoned_answer.pk)
    observation = Observation.objects.create(
        child=kind,
        author=ouder,
        side="home",
        theme=Theme.SLEEPING,
        text="Sliep goed.",
        observed_on=timezone.localdate(),
    )
    behind = outbox.add(notify_new_observation, observation.pk)

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert send_outbox() == 1
    poisoned.refresh_from_db()
    behind.refresh_from_db()
    assert poisoned.failed_at is not None and poisoned.attempts == 1
    assert "BadHeaderError" in poisoned.last_error
    assert behind.sent_at is not None
    assert [m.to for m in mail.outbox] == [[medewerker.email]]
    # It is never tried again.
    assert send_outbox() == 0
    assert OutboxMail.objects.get(pk=poisoned.pk).attempts == 1
    assert list(outbox.failures_about("")) == [OutboxMail.objects.get(pk=poisoned.pk)]


def test_a_passing_failure_is_tried_again_later_then_given_up(ouder, kind, settings, monkeypatch):
    calls = []

    def mail_server_down(*args, **kwargs):
        calls.append(args)
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notify_new_observation, "run", mail_server_down)
    row = outbox.add(notify_new_observation, 1234)
    waits = []
    for _attempt in range(outbox.MAX_ATTEMPTS):
        OutboxMail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
        send_outbox()
        row.refresh_from_db()
        waits.append(round((row.next_attempt_at - timezone.now()).total_seconds() / 60))
    assert len(calls) == outbox.MAX_ATTEMPTS
    assert waits[:4] == [1, 2, 4, 8]  # a growing pause between tries
    assert row.failed_at is not None and "ConnectionRefusedError" in row.last_error
    assert send_outbox() == 0


def test_an_invitation_that_could_not_be_mailed_is_flagged_for_the_manager(client, manager, kind):
    client.force_login(manager)
    response = client.post(
        reverse("accounts:invite_parent", args=[kind.pk]), {"name": "Nieuwe Ouder", "email": "nieuw@example.org"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nieuw@example.org")
    centre_page = reverse("children:centre_detail", args=[kind.group.centre_id])
    assert "data-mail-failed" not in client.get(centre_page).content.decode()
    row = OutboxMail.objects.get(topic=outbox.topic_of(invitation))
    OutboxMail.objects.filter(pk=row.pk).update(failed_at=timezone.now(), last_error="SMTPRecipientsRefused")
    page = client.get(centre_page).content.decode()
    assert "data-mail-failed" in page and "nieuw@example.org" in page
