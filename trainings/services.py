"""Actions of the training offer that span several models; called from views, tasks and the demo alike."""

import hashlib
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications import outbox
from notifications.services import notify

from . import tasks
from .models import (
    Booking,
    BookingChange,
    IntakeAnswer,
    IntakeNote,
    IntakeRequest,
    Participant,
    PreferredDate,
    TrainingReminder,
    trainers,
)

# The same question from the same address within this window is one request posted twice.
DUPLICATE_WINDOW = timedelta(minutes=2)


# --- Intake requests -------------------------------------------------------------------------------------


def intake_fingerprint(email, question, interest_id):
    text = "\n".join([email.strip().lower(), " ".join(question.split()).lower(), str(interest_id or "")])
    return hashlib.sha256(text.encode()).hexdigest()


def submit_intake(*, submission_key, language, **fields):
    """Store a request from the public form once, tell the trainers, and queue the receipt.

    Returns (request, created). The same form posted twice (same one-time key), or the same question from
    the same address within a couple of minutes, gives back the request stored the first time.
    """
    interest = fields.get("interest")
    fingerprint = intake_fingerprint(fields["email"], fields["question"], interest.pk if interest else None)
    since = timezone.now() - DUPLICATE_WINDOW
    existing = IntakeRequest.objects.filter(
        Q(submission_key=submission_key) | Q(fingerprint=fingerprint, created_at__gte=since)
    ).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            intake = IntakeRequest.objects.create(
                submission_key=submission_key,
                fingerprint=fingerprint,
                language=language,
                consent_at=timezone.now(),
                **fields,
            )
            # The trainers' notifications and the receipt go in the same transaction as the request.
            notify(
                trainers(),
                lambda: (
                    _("New intake request from %(name)s (%(organisation)s)")
                    % {"name": intake.name, "organisation": intake.organisation}
                ),
                intake.get_absolute_url(),
            )
            outbox.add(tasks.send_intake_receipt, intake.pk)
    except IntegrityError:
        return IntakeRequest.objects.get(submission_key=submission_key), False
    return intake, True


def update_intake(intake, *, status, assigned_to, actor):
    """Change the status and who handles a request; a colleague who gets it assigned is told."""
    newly_assigned = assigned_to is not None and assigned_to.pk != intake.assigned_to_id
    intake.set_status(status)
    intake.assigned_to = assigned_to
    intake.save()
    if newly_assigned:
        notify(
            [assigned_to],
            lambda: (
                _("%(actor)s passed an intake request on to you: %(request)s") % {"actor": actor, "request": intake}
            ),
            intake.get_absolute_url(),
            exclude=actor,
        )


def add_intake_note(intake, *, text, submission_key, actor):
    note, _created = IntakeNote.objects.get_or_create(
        submission_key=submission_key, defaults={"request": intake, "text": text, "author": actor}
    )
    return note


def answer_intake(intake, *, body, submission_key, actor):
    """Mail an answer to the person who asked and keep it with the request. Posting twice sends once."""
    with transaction.atomic():
        answer, created = IntakeAnswer.objects.get_or_create(
            submission_key=submission_key, defaults={"request": intake, "body": body, "author": actor}
        )
        if not created:
            return answer, False
        if intake.status in (IntakeRequest.Status.NEW, IntakeRequest.Status.IN_PROGRESS):
            intake.set_status(IntakeRequest.Status.WAITING)
        if intake.assigned_to_id is None:
            intake.assigned_to = actor
        intake.save()
        outbox.add(tasks.send_intake_answer, answer.pk)
    return answer, True


def booking_from_intake(intake, *, centre, actor, **fields):
    """Turn a request into a booking for a centre in the portal; the request is then planned."""
    with transaction.atomic():
        existing = Booking.objects.filter(intake_request=intake).first()
        if existing:
            return existing, False
        booking = Booking.objects.create(
            organisation=centre.organisation,
            centre=centre,
            status=Booking.Status.PLANNING,
            intake_request=intake,
            **fields,
        )
        BookingChange.objects.create(
            booking=booking, status=booking.status, by=actor, note=_("Made from an intake request.")
        )
        intake.set_status(IntakeRequest.Status.PLANNED)
        if intake.assigned_to_id is None:
            intake.assigned_to = actor
        intake.save()
    _tell_managers(booking, actor)
    return booking, True


# --- Bookings --------------------------------------------------------------------------------------------


def _booking_message(booking):
    def message():
        return _("%(booking)s: %(status)s") % {"booking": booking, "status": booking.get_status_display()}

    return message


def _tell_managers(booking, actor):
    notify(booking.managers(), _booking_message(booking), booking.get_absolute_url(), exclude=actor)


def _tell_trainers(booking, actor):
    recipients = [booking.trainer] if booking.trainer_id else trainers()
    notify(recipients, _booking_message(booking), booking.get_absolute_url(), exclude=actor)


def request_booking(*, manager, submission_key, dates, **fields):
    """A manager books a training; trainers and the other managers of the centre are told."""
    with transaction.atomic():
        booking, created = Booking.objects.get_or_create(
            submission_key=submission_key, defaults={"requested_by": manager, **fields}
        )
        if not created:
            return booking, False
        PreferredDate.objects.bulk_create(
            PreferredDate(booking=booking, date=date, position=position) for position, date in enumerate(dates)
        )
        BookingChange.objects.create(booking=booking, status=booking.status, by=manager)
    _tell_trainers(booking, manager)
    _tell_managers(booking, manager)
    return booking, True


def change_booking_status(booking, status, *, actor, note=""):
    """Move a booking on (being planned, delivered, cancelled); managers, trainer and participants hear of it."""
    if not booking.can_move_to(status):
        raise ValueError(f"A {booking.status} booking cannot become {status}.")
    with transaction.atomic():
        booking.status = status
        booking.save(update_fields=["status", "updated_at"])
        BookingChange.objects.create(booking=booking, status=status, by=actor, note=note)
        if status == Booking.Status.CANCELLED:
            TrainingReminder.objects.filter(session__booking=booking, sent_at__isnull=True).delete()
            _tell_participants(booking)
    _tell_managers(booking, actor)
    _tell_trainers(booking, actor)


def confirm_booking(booking, *, trainer, actor):
    """Confirm a booking with its (already saved) sessions and trainer; reminders follow the new dates."""
    rescheduled = booking.status == Booking.Status.CONFIRMED
    with transaction.atomic():
        booking.status = Booking.Status.CONFIRMED
        booking.trainer = trainer
        booking.save(update_fields=["status", "trainer", "updated_at"])
        dates = ", ".join(
            timezone.localtime(session.starts_at).strftime("%d-%m-%Y %H:%M") for session in booking.sessions.all()
        )
        BookingChange.objects.create(
            booking=booking,
            status=booking.status,
            by=actor,
            note=_("Trainer: %(trainer)s. Dates: %(dates)s.") % {"trainer": trainer, "dates": dates},
        )
        schedule_reminders(booking)
        if rescheduled:
            _tell_participants(booking)
    _tell_managers(booking, actor)
    if trainer.pk != actor.pk:
        notify([trainer], _booking_message(booking), booking.get_absolute_url())


def _tell_participants(booking):
    for participant in booking.participants.select_related("user"):
        if participant.user_id:
            notify([participant.user], _booking_message(booking), participant.get_absolute_url())
        else:
            outbox.add(tasks.send_participant_update, participant.pk)


def invite_participants(booking, *, people, emails, actor):
    """Invite staff and parents of the centre (`people`: (user, role) pairs) and others by email address.

    Someone already invited is left alone. People with an account are told through their notifications;
    others get an email with a personal link. Returns the number of new participants.
    """
    wanted = [(user.email.lower(), user, role) for user, role in people]
    known = {u.email.lower(): u for u in User.objects.filter(email__in=[email for email, _role in emails])}
    wanted += [(email, known.get(email), role) for email, role in emails]
    invited = []
    with transaction.atomic():
        already = set(booking.participants.values_list("email", flat=True))
        for email, user, role in wanted:
            if email in already:
                continue
            already.add(email)
            invited.append(
                Participant.objects.create(
                    booking=booking,
                    email=email,
                    user=user,
                    name=user.name if user else "",
                    role=role,
                    invited_by=actor,
                )
            )
        schedule_reminders(booking)
    for participant in invited:
        if participant.user_id:
            notify(
                [participant.user],
                lambda booking=booking: (
                    _("You are invited to %(training)s. Tell the trainer what you would like to learn.")
                    % {"training": booking.offering}
                ),
                participant.get_absolute_url(),
            )
        else:
            outbox.add(tasks.send_participant_invitation, participant.pk)
    return len(invited)


def save_learning_wishes(participant):
    participant.answered_at = timezone.now()
    participant.save()


def schedule_reminders(booking):
    """Make the booking's reminder rows match its sessions and participants.

    One row per (session, participant, kind) whose moment has not passed. A moved session moves its rows;
    a reminder already sent for the old moment is sent again for the new one. Removed sessions take their
    rows with them (cascade).
    """
    now = timezone.now()
    wanted = {}
    if booking.status == Booking.Status.CONFIRMED:
        participant_ids = list(booking.participants.values_list("pk", flat=True))
        for session in booking.sessions.all():
            for kind, lead in TrainingReminder.LEAD_TIMES.items():
                due = session.starts_at - lead
                if due > now:
                    for participant_id in participant_ids:
                        wanted[(session.pk, participant_id, kind)] = due
    existing = {
        (r.session_id, r.participant_id, r.kind): r for r in TrainingReminder.objects.filter(session__booking=booking)
    }
    stale = [r.pk for key, r in existing.items() if key not in wanted and r.sent_at is None]
    TrainingReminder.objects.filter(pk__in=stale).delete()
    for key, due in wanted.items():
        reminder = existing.get(key)
        if reminder is not None and reminder.due_at != due:
            TrainingReminder.objects.filter(pk=reminder.pk).update(due_at=due, sent_at=None)
    TrainingReminder.objects.bulk_create(
        [
            TrainingReminder(session_id=s, participant_id=p, kind=k, due_at=due)
            for (s, p, k), due in wanted.items()
            if (s, p, k) not in existing
        ],
        ignore_conflicts=True,
    )
