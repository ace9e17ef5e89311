"""Background work of the training offer: mail to people who asked or take part, reminders, retention.

Every mail task looks up its row, locks it, sends, and marks it sent in one transaction; a failing mail
server leaves the row unsent, the task retries, and a periodic sweep picks up whatever is still unsent.
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from common.dispatch import dispatch_due, give_up_on_failure
from common.mail import send_mail
from notifications.services import notify

from .models import Booking, IntakeAnswer, IntakeRequest, Participant, TrainingReminder

MAIL_RETRY = {"autoretry_for": (OSError,), "retry_backoff": 60, "max_retries": 5}


@shared_task(**MAIL_RETRY)
def send_intake_receipt(request_id):
    """The confirmation to the person who sent an intake request."""
    with transaction.atomic():
        intake = (
            IntakeRequest.objects.select_for_update(skip_locked=True)
            .filter(pk=request_id, receipt_sent_at__isnull=True, anonymised_at__isnull=True)
            .first()
        )
        if intake is None:
            return
        send_mail(intake.email, "trainings/email/intake_receipt", {"intake": intake}, language=intake.language)
        intake.receipt_sent_at = timezone.now()
        intake.save(update_fields=["receipt_sent_at"])


@shared_task(**MAIL_RETRY)
def send_intake_answer(answer_id):
    """A trainer's answer to an intake request; replies go to the trainer."""
    with transaction.atomic():
        answer = (
            IntakeAnswer.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("request", "author")
            .filter(pk=answer_id, sent_at__isnull=True, request__anonymised_at__isnull=True)
            .first()
        )
        if answer is None:
            return
        intake = answer.request
        send_mail(
            intake.email,
            "trainings/email/intake_answer",
            {"answer": answer, "intake": intake},
            language=intake.language,
            reply_to=[answer.author.email] if answer.author else None,
        )
        answer.sent_at = timezone.now()
        answer.save(update_fields=["sent_at"])


def _participant_language(participant):
    return participant.user.language if participant.user_id else settings.LANGUAGE_CODE


def participant_context(participant):
    booking = participant.booking
    return {
        "participant": participant,
        "booking": booking,
        "sessions": list(booking.sessions.all()),
        "url": settings.SITE_URL + participant.get_absolute_url(),
    }


@shared_task(**MAIL_RETRY)
def send_participant_invitation(participant_id):
    """The invitation to fill in learning wishes, for someone invited by email address."""
    with transaction.atomic():
        participant = (
            Participant.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("booking__offering", "booking__centre", "booking__organisation", "user")
            .filter(pk=participant_id, emailed_at__isnull=True)
            .first()
        )
        if participant is None:
            return
        context = participant_context(participant)
        send_mail(
            participant.email,
            "trainings/email/participant_invitation",
            context,
            language=_participant_language(participant),
        )
        participant.emailed_at = timezone.now()
        participant.save(update_fields=["emailed_at"])


@shared_task(**MAIL_RETRY)
def send_participant_update(participant_id):
    """Tell someone invited by email address that the dates changed or the training was cancelled."""
    participant = (
        Participant.objects.select_related("booking__offering", "booking__centre", "booking__organisation")
        .filter(pk=participant_id)
        .first()
    )
    if participant is None:
        return
    send_mail(
        participant.email,
        "trainings/email/participant_update",
        participant_context(participant),
        language=_participant_language(participant),
    )


def send_training_reminder(reminder):
    """Remind one participant of one session: through the bell and their preference, or by email."""
    participant, session = reminder.participant, reminder.session
    booking = session.booking
    if participant.user_id:
        user = participant.user

        def message():
            start = timezone.localtime(session.starts_at)
            return _("Reminder: %(training)s on %(date)s at %(time)s, %(where)s") % {
                "training": booking.offering,
                "date": formats.date_format(start, "DATE_FORMAT"),
                "time": formats.date_format(start, "TIME_FORMAT"),
                "where": session.where,
            }

        notify([user], message, participant.get_absolute_url())
        return True
    context = {**participant_context(participant), "session": session, "reminder": reminder}
    send_mail(
        participant.email, "trainings/email/participant_reminder", context, language=_participant_language(participant)
    )
    return True


@shared_task
def dispatch_training_reminders():
    """Every minute: send the reminders that are due, each exactly once (see common.dispatch)."""
    now = timezone.now()
    due = TrainingReminder.objects.select_related(
        "participant__user", "session__booking__offering", "session__booking__centre"
    ).filter(
        due_at__lte=now,
        sent_at__isnull=True,
        session__starts_at__gt=now,
        session__booking__status=Booking.Status.CONFIRMED,
    )
    result = dispatch_due(
        due.exclude(failed_at__gte=F("due_at")),
        send_training_reminder,
        batch_size=50,
        order_by=["due_at", "pk"],
        on_failure=give_up_on_failure(TrainingReminder),
    )
    if result.more:
        dispatch_training_reminders.delay()
    return result.sent


@shared_task
def send_pending_mail():
    """A safety net: queue again any mail that should have gone out a while ago but did not."""
    now = timezone.now()
    window = {"created_at__lt": now - timedelta(minutes=10), "created_at__gt": now - timedelta(days=3)}
    for pk in IntakeRequest.objects.filter(
        receipt_sent_at__isnull=True, anonymised_at__isnull=True, **window
    ).values_list("pk", flat=True):
        send_intake_receipt.delay(pk)
    for pk in IntakeAnswer.objects.filter(sent_at__isnull=True, **window).values_list("pk", flat=True):
        send_intake_answer.delay(pk)
    for pk in Participant.objects.filter(
        user__isnull=True,
        emailed_at__isnull=True,
        invited_at__lt=now - timedelta(minutes=10),
        invited_at__gt=now - timedelta(days=3),
    ).values_list("pk", flat=True):
        send_participant_invitation.delay(pk)


@shared_task
def anonymise_closed_intake_requests():
    """Retention: closed requests lose who asked what after TRAININGS_INTAKE_RETENTION_MONTHS."""
    count = 0
    for intake in IntakeRequest.objects.due_for_anonymisation():
        with transaction.atomic():
            intake.anonymise()
        count += 1
    return count
