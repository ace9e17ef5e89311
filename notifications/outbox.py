"""The outbox: every mail and notification an action causes is first a row, written in the action's transaction.

    from notifications import outbox

    with transaction.atomic():
        observation.save()
        outbox.add(notify_new_observation, observation.pk)

`add` writes an `OutboxMail` row naming the task and its arguments. When the transaction commits, a task is
queued to carry the row out at once; that is only a speed-up: with the broker down nothing is queued (and
the person acting notices nothing), and the sweep that beat runs every minute (`send_outbox`) carries out
whatever is still pending. Either way a row is carried out once: each goes through `common.dispatch`,
locked with `SELECT ... FOR UPDATE SKIP LOCKED`, its task run and the row marked sent in one transaction.

A row whose task fails is tried again later (after 1, 2, 4, 8 minutes), and marked failed, with the error,
after `OUTBOX_MAX_ATTEMPTS` tries or at once when the failure will not go away by itself (a bad header or
address, a task that no longer exists). Failed rows never block the rows behind them; they are listed in
the admin and, where it matters, next to what they are about (see `failures_about`).
"""

import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from common.dispatch import LASTING, dispatch_due, is_lasting  # noqa: F401 - LASTING for callers

from .models import OutboxMail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = getattr(settings, "OUTBOX_MAX_ATTEMPTS", 5)
BATCH_SIZE = 100


def add(task, *args, topic="", **kwargs):
    """Write the row for `task(*args, **kwargs)` in the current transaction; queue it once that commits."""
    row = OutboxMail.objects.create(task=task.name, args=list(args), kwargs=kwargs, topic=topic)

    def deliver_soon():
        from .tasks import deliver_outbox_mail

        try:
            deliver_outbox_mail.delay(row.pk)
        except Exception as error:  # the broker is down: the sweep sends it once it is back
            logger.warning("Could not queue outbox row %s (%s); the sweep will send it.", row.pk, error)

    transaction.on_commit(deliver_soon, robust=True)
    return row


def deliver(queryset=None, *, batch_size=BATCH_SIZE):
    """Carry out the due rows of `queryset` (all by default), each once. Returns common.dispatch's result."""
    due = (queryset if queryset is not None else OutboxMail.objects.all()).due()
    return dispatch_due(
        due, _carry_out, batch_size=batch_size, order_by=["next_attempt_at", "pk"], on_failure=_record_failure
    )


def _carry_out(row):
    task = current_app.tasks[row.task]  # NotRegistered (a KeyError) is a lasting failure
    task(*row.args, **row.kwargs)  # in this row's transaction: its rows commit together with "sent"
    row.attempts += 1
    row.save(update_fields=["attempts"])


def _record_failure(pk, error):
    row = OutboxMail.objects.select_for_update().filter(pk=pk).first()
    if row is None:
        return
    now = timezone.now()
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    if is_lasting(error) or row.attempts >= MAX_ATTEMPTS:
        row.failed_at = now
        logger.error(
            "Outbox row %s (%s) failed for good after %s attempts: %s",
            row.pk,
            row.task,
            row.attempts,
            row.last_error,
            extra={"outbox_id": row.pk, "topic": row.topic},
        )
    else:
        row.next_attempt_at = now + timedelta(minutes=2 ** (row.attempts - 1))
    row.save(update_fields=["attempts", "last_error", "failed_at", "next_attempt_at"])


def failures_about(topic):
    """Rows about `topic` that could not be sent, newest first: to show to the people who can act on it."""
    return OutboxMail.objects.failed().about(topic).order_by("-failed_at")


def failed_topics(topics):
    """Which of `topics` have a row that could not be sent."""
    return OutboxMail.objects.failed().filter(topic__in=topics).values_list("topic", flat=True).distinct()


def topic_of(obj):
    """The topic string of a model instance, e.g. "partnership.event:12"."""
    return f"{obj._meta.label_lower}:{obj.pk}"
