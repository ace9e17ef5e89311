"""Mail for notifications: at once for those who chose it, or one daily digest.

The tasks keep the names they were registered under before notifications had an app of their own, so
messages queued before an upgrade still find their task.
"""

from datetime import timedelta

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from common.dispatch import dispatch_due
from common.mail import send_mail

from .models import Notification


@shared_task(name="partnership.tasks.send_notification_email")
def send_notification_email(notification_id):
    """Mail one notification. Locked, sent and marked as mailed in one transaction, so this task and the
    sweep of send_pending_notification_mail never mail it twice."""
    pending = Notification.objects.select_related("recipient").filter(pk=notification_id, emailed_at__isnull=True)
    # A failure (mail server down) leaves it unmailed for the sweep, a minute later.
    return dispatch_due(pending, _mail_notification, sent_field="emailed_at").sent


@shared_task(name="partnership.tasks.send_daily_digests")
def send_daily_digests():
    """One email per person who chose the daily digest, listing what they have not been mailed yet."""
    recipients = (
        get_user_model()
        .objects.filter(
            notification_preference="digest",
            is_active=True,
            notifications__emailed_at__isnull=True,
            notifications__read_at__isnull=True,
        )
        .distinct()
    )
    for user in recipients:
        send_digest.delay(user.pk)


@shared_task(name="partnership.tasks.send_digest", autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_digest(user_id):
    with transaction.atomic():
        user = get_user_model().objects.get(pk=user_id)
        pending = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(recipient=user, emailed_at__isnull=True, read_at__isnull=True)
            .order_by("created_at")
        )
        if not pending:
            return
        context = {"user": user, "notifications": pending, "digest": True}
        send_mail(user.email, "notifications/email/notification", context, language=user.language)
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())


# The outbox (see notifications.outbox): one row at once after its action commits, and every minute a sweep.


@shared_task
def deliver_outbox_mail(outbox_id):
    """Carry out one outbox row right after its action committed (a speed-up; the sweep would too)."""
    from . import outbox
    from .models import OutboxMail

    return outbox.deliver(OutboxMail.objects.filter(pk=outbox_id)).sent


@shared_task
def send_outbox():
    """Every minute: carry out every outbox row that is due, e.g. those queued while the broker was down."""
    from . import outbox
    from .models import OutboxMail

    result = outbox.deliver()
    if result.more:
        send_outbox.delay()
    OutboxMail.objects.prune()
    return result.sent


@shared_task
def send_pending_notification_mail():
    """Every minute: mail the notifications of people who want mail at once, where the mail task was lost
    (broker down) or failed. Each notification is mailed once (locked, sent and marked in one transaction)."""
    now = timezone.now()
    pending = Notification.objects.select_related("recipient").filter(
        emailed_at__isnull=True,
        read_at__isnull=True,
        recipient__notification_preference="instant",
        recipient__is_active=True,
        created_at__lt=now - timedelta(minutes=1),
        created_at__gt=now - timedelta(days=3),
    )
    result = dispatch_due(pending, _mail_notification, sent_field="emailed_at", order_by=["created_at", "pk"])
    if result.more:
        send_pending_notification_mail.delay()
    return result.sent


def _mail_notification(notification):
    user = notification.recipient
    if not user.email:
        return False
    context = {"user": user, "notifications": [notification]}
    send_mail(user.email, "notifications/email/notification", context, language=user.language)
    return True
