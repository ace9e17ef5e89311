"""Delivering an event reminder row: under the bell for everyone, by email for those who want it at once."""

from django.conf import settings
from django.urls import reverse

from common.dispatch import give_up_on_failure
from common.mail import send_mail
from notifications.services import notify

from ..models.reminders import Reminder, when

MAX_ATTEMPTS = 5


def send_reminder(reminder):
    """Deliver one reminder by the person's preference (run by the dispatcher, inside its transaction).

    The bell item, the mail and the sent mark therefore go together. Returns False when the reminder no
    longer made sense.
    """
    if not reminder.is_wanted():
        return False
    person, event = reminder.person, reminder.event

    def mail(notification):
        context = {
            "person": person,
            "event": event,
            "reminder": reminder,
            "message": notification.message,
            "when": when(event),
            "url": settings.SITE_URL + event.get_absolute_url(),
            "preferences_url": settings.SITE_URL + reverse("accounts:preferences"),
        }
        send_mail(
            person.email,
            "partnership/events/email/reminder",
            context,
            language=person.language,
            headers={"X-Samenspel-Reminder": str(reminder.pk)},
        )

    notify([person], reminder.message, event.get_absolute_url(), mail=mail)
    return True


# After a failed delivery (its transaction rolled back): count it, and give the row up after a lasting error or
# MAX_ATTEMPTS tries; the dispatcher then passes it by and the organisers see it on the event.
record_failure = give_up_on_failure(Reminder, max_attempts=MAX_ATTEMPTS)
