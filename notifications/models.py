from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something new for one person, shown under the bell and mailed according to their preference.

    The message is written in the recipient's language when it is created, and never carries the text of
    an observation: it names what happened and links to it.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        db_table = "partnership_notification"  # the table it had when it lived in partnership
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="partnership_recipie_21261a_idx"),
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread"),
            models.Index(
                fields=["created_at"], condition=models.Q(emailed_at__isnull=True), name="notification_unmailed"
            ),
        ]

    def __str__(self):
        return self.message


class OutboxQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(sent_at__isnull=True, failed_at__isnull=True)

    def due(self, now=None):
        """Pending rows whose (next) attempt has come."""
        return self.pending().filter(next_attempt_at__lte=now or timezone.now())

    def failed(self):
        return self.filter(failed_at__isnull=False)

    def about(self, topic):
        return self.filter(topic=topic)

    def prune(self, now=None):
        """Sent rows after a week, failed ones after three months: their arguments may name people."""
        now = now or timezone.now()
        sent = self.filter(sent_at__lt=now - timedelta(days=7)).delete()[0]
        return sent + self.filter(failed_at__lt=now - timedelta(days=90)).delete()[0]

    def oldest_pending_since(self):
        """When the oldest row that is waiting became due (for the health check), or None."""
        return self.due().order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first()


class OutboxMail(models.Model):
    """Mail or notifications an action causes, written in the action's transaction (the outbox).

    A row names a task and its arguments; it is carried out by a worker: at once through a task queued when
    the action commits (a speed-up only), or by the sweep that beat runs every minute, whichever comes first
    (see notifications.outbox). Each row is carried out once, in its own transaction; a row that keeps failing
    or fails for a lasting reason (a bad address or header) is marked failed with the error, and the rows
    behind it go out regardless.
    """

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    # What it is about, for showing failures where they matter, e.g. "partnership.event:12".
    topic = models.CharField(max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(sent_at__isnull=True, failed_at__isnull=True),
                name="outbox_pending",
            ),
        ]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"

    @property
    def state(self):
        if self.sent_at:
            return "sent"
        return "failed" if self.failed_at else "pending"
