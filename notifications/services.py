"""The one way to tell people something happened: `notify(recipients, message, url)`.

Used by observations, replies, tips, events, agreements, trainings and privacy requests alike. It writes a row
per recipient (the bell), and for those who want email at once either queues the standard mail after the
surrounding transaction commits, or, when the caller brings its own mail (a reminder), sends that mail now.
A failing mail server therefore never loses or blocks the thing the notification is about.
"""

from django.db import transaction
from django.utils import timezone, translation

from .models import Notification
from .tasks import send_notification_email


def wants_mail_at_once(user):
    return user.notification_preference == "instant" and bool(user.email)


def notify(recipients, message, url, exclude=None, mail=None):
    """Notify each recipient (skipping `exclude`, usually the actor, and inactive accounts).

    `message` is a callable taking no arguments that returns the text; it is called with each recipient's
    language active, so it can use gettext. Returns the created notifications.

    `mail`, when given, is called as `mail(notification)` for each recipient who wants email at once, inside
    the caller's transaction and with the recipient's language active, instead of queueing the standard mail;
    the notification is then marked mailed. An exception from it propagates, so the caller's transaction (and
    the notification with it) is rolled back and can be tried again.
    """
    created = []
    seen = set()
    for user in recipients:
        if user.pk in seen or (exclude is not None and user.pk == exclude.pk) or not user.is_active:
            continue
        seen.add(user.pk)
        with translation.override(user.language):
            text = str(message())
        created.append(Notification(recipient=user, message=text[:300], url=url))
    if mail is not None:
        # Marked mailed as it is written: a mail that fails below rolls the caller's transaction back, and
        # this notification with it, so the mark never outlives a mail that did not go (one query less).
        mailed_at = timezone.now()
        for notification in created:
            if wants_mail_at_once(notification.recipient):
                notification.emailed_at = mailed_at
    Notification.objects.bulk_create(created)
    for notification in created:
        if not wants_mail_at_once(notification.recipient):
            continue
        if mail is not None:
            with translation.override(notification.recipient.language):
                mail(notification)
        else:
            # robust: an unreachable broker is logged, never turned into an error for the person acting;
            # the notification itself is already saved and shows under the bell.
            transaction.on_commit(_mail_later(notification.pk), robust=True)
    return created


def _mail_later(pk):
    def queue_mail():
        send_notification_email.delay(pk)

    return queue_mail
