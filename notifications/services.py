"""The one way to tell people something happened: `notify(recipients, message, url)`.

Used by observations, replies, tips, events and agreements alike. It writes a row per recipient (the bell),
and queues an email after the surrounding transaction commits for those who want email at once. A failing
mail server therefore never loses or blocks the thing the notification is about.
"""

from django.db import transaction
from django.utils import translation

from .models import Notification


def notify(recipients, message, url, exclude=None):
    """Notify each recipient (skipping `exclude`, usually the actor).

    `message` is a callable taking no arguments that returns the text; it is called with each recipient's
    language active, so it can use gettext. Returns the created notifications.
    """
    from .tasks import send_notification_email

    created = []
    seen = set()
    for user in recipients:
        if user.pk in seen or (exclude is not None and user.pk == exclude.pk) or not user.is_active:
            continue
        seen.add(user.pk)
        with translation.override(user.language):
            text = str(message())
        created.append(Notification(recipient=user, message=text[:300], url=url))
    Notification.objects.bulk_create(created)
    for notification in created:
        if notification.recipient.notification_preference == "instant":
            # robust: an unreachable broker is logged, never turned into an error for the person acting;
            # the notification itself is already saved and shows under the bell.
            transaction.on_commit(_mail_later(send_notification_email, notification.pk), robust=True)
    return created


def _mail_later(task, pk):
    def queue_mail():
        task.delay(pk)

    return queue_mail
