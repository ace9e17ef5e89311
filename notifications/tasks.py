"""Mail for notifications: at once for those who chose it, or one daily digest.

The tasks keep the names they were registered under before notifications had an app of their own, so
messages queued before an upgrade still find their task.
"""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from common.mail import send_mail

from .models import Notification


@shared_task(
    name="partnership.tasks.send_notification_email", autoretry_for=(OSError,), retry_backoff=60, max_retries=5
)
def send_notification_email(notification_id):
    """Mail one notification. Marked as mailed only after the mail server accepted it."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id, emailed_at__isnull=True).first()
    )
    if notification is None:
        return
    user = notification.recipient
    context = {"user": user, "notifications": [notification]}
    send_mail(user.email, "notifications/email/notification", context, language=user.language)
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


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
