"""Sending rows that are due, each exactly once, whatever happens to the workers.

A reminder (of an event, a training session, an agreement's review date) is a database row with a due time
and a "sent" timestamp, never a delayed task: a delayed task on Redis can be lost with the broker or run twice
after a visibility timeout. A periodic task calls `dispatch_due(...)` every minute; it is safe to run it in
several workers at once, to run it twice in the same minute, or to kill it at any moment:

- every row is handled in its own short transaction that locks it with `SELECT ... FOR UPDATE SKIP LOCKED`,
  so two workers never handle the same row, and a worker never waits for another;
- `send_one(row)` runs inside that transaction, and the row is marked sent in the same transaction; a worker
  that dies before the commit leaves the row unsent (Postgres rolls back), so the next run sends it again;
- a row that fails to send (mail server down) stays unsent and is tried again on the next run.

The only moment a duplicate is possible is the instant between the mail server accepting a message and the
commit that follows it; losing a row is not possible. That is the trade-off we want for reminders.

Usage, for any model with a `due_at` and a nullable `sent_at` field::

    from common.dispatch import dispatch_due

    def send(reminder):
        ...  # mail it or notify; raise to leave it for the next run; return False when it had to be skipped

    due = TrainingReminder.objects.filter(due_at__lte=timezone.now(), sent_at__isnull=True)
    result = dispatch_due(due, send, batch_size=50)
    if result.more:
        dispatch_training_reminders.delay()  # the rest, without waiting for the next minute
"""

import logging
import smtplib
from dataclasses import dataclass

from django.core.mail import BadHeaderError
from django.db import router, transaction
from django.utils import timezone

from . import mail

logger = logging.getLogger(__name__)


@dataclass
class DispatchResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    more: bool = False  # the batch was full: more due rows may be waiting


def dispatch_due(queryset, send_one, *, batch_size=50, sent_field="sent_at", order_by=None, on_failure=None):
    """Hand each row of `queryset` to `send_one` once, and mark it sent in the same transaction.

    `queryset` selects the rows that are due and not yet sent (the caller knows what "due" means, and may
    add conditions such as "the event has not started"); it is re-applied under the row lock, so a row that
    another worker sent in the meantime, or that stopped being due, is left alone.
    `send_one(row)` delivers one row. It may return False to say the row no longer needed sending (it is
    then marked handled all the same); an exception leaves the row unsent for the next run.
    `sent_field` is the name of the timestamp field that marks a row as handled.
    Handles at most `batch_size` rows per call; `result.more` says whether the batch was full.
    `on_failure(pk, error)`, when given, runs in a transaction of its own after a failed send was rolled back:
    to count the attempt, put the next one off, or mark a row that will never go out as failed, so that it no
    longer matches `queryset` and never blocks the rows behind it.
    """
    model = queryset.model
    # The batch's rows (with what `queryset` selects along) in one query, without locks; each row is then
    # claimed on its own, so a row another worker sent or holds meanwhile is passed by.
    candidates = list(queryset.order_by(*(order_by or [model._meta.pk.name]))[:batch_size])
    result = DispatchResult(more=len(candidates) == batch_size)
    with mail.one_connection():  # one session with the mail server for the whole batch
        for row in candidates:
            _dispatch_row(queryset, row, send_one, sent_field, on_failure, result)
    return result


def _dispatch_row(queryset, row, send_one, sent_field, on_failure, result):
    """Claim one row under its lock (re-applying `queryset`), deliver it and mark it, in one transaction."""
    model, pk = queryset.model, row.pk
    try:
        with transaction.atomic():
            _commit_without_waiting_for_disk(model)
            claimed = (
                queryset.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=pk)
                .values_list("pk", flat=True)
                .first()
            )
            if claimed is None:
                return  # another worker holds it or has sent it; not ours to touch
            delivered = send_one(row)
            setattr(row, sent_field, timezone.now())
            row.save(update_fields=[sent_field])
    except Exception as error:
        result.failed += 1
        if on_failure is None:
            logger.exception("Could not send %s %s; it will be tried again.", model._meta.label, pk)
            return
        logger.warning("Could not send %s %s: %r", model._meta.label, pk, error, exc_info=True)
        try:
            with transaction.atomic():
                on_failure(pk, error)
        except Exception:
            logger.exception("Could not record the failure of %s %s", model._meta.label, pk)
        return
    if delivered is False:
        result.skipped += 1
    else:
        result.sent += 1


# Errors that trying again will not cure: a bad header or address, data a task cannot take, a task that is gone.
LASTING = (
    BadHeaderError,
    ValueError,
    TypeError,
    LookupError,
    UnicodeError,
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
)


def is_lasting(error):
    return isinstance(error, LASTING)


def give_up_on_failure(model, *, max_attempts=5, due_field="due_at"):
    """An `on_failure` for rows with `attempts`, `failed_at` and `last_error` fields: count each failure, and
    give the row up after a lasting error or `max_attempts` tries. The caller's "due" queryset leaves out rows
    given up since they fell due (`.exclude(failed_at__gte=F(due_field))`), so a row planned again for a later
    time gets a new round of tries."""

    def on_failure(pk, error):
        row = model._default_manager.select_for_update().filter(pk=pk).first()
        if row is None:
            return
        if row.failed_at and row.failed_at < getattr(row, due_field):
            row.attempts = 0  # planned again since it was given up
        row.attempts += 1
        row.last_error = f"{type(error).__name__}: {error}"[: model._meta.get_field("last_error").max_length or 2000]
        if is_lasting(error) or row.attempts >= max_attempts:
            row.failed_at = timezone.now()
            logger.error("Gave up %s %s after %s tries: %s", model._meta.label, pk, row.attempts, row.last_error)
        row.save(update_fields=["attempts", "last_error", "failed_at"])

    return on_failure


def _commit_without_waiting_for_disk(model):
    """This row's commit does not wait for Postgres to flush its log to disk (`synchronous_commit off`, for
    this transaction only): a row costs a fraction of a disk flush instead of a whole one. The commit is as
    visible and as atomic as ever, so a worker killed at any moment still loses or repeats nothing; only when
    the database server itself crashes can the last fraction of a second of sent marks be lost, and those
    rows are sent again: the same kind of duplicate the mail-then-commit order already allows."""
    connection = transaction.get_connection(router.db_for_write(model))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
