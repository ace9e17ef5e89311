"""Meeting each other: staff plan a coffee morning, a parent says yes, and the reminder arrives by email
with a link that opens the event."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from partnership.models import Event, Reminder
from partnership.tasks import dispatch_reminders


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_staff_plan_a_coffee_morning_and_the_parent_is_reminded(
    visitor, medewerker, ouder, kind, mailoutbox, django_capture_on_commit_callbacks
):
    starts = (timezone.now() + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)

    # Staff plan a coffee morning for the centre.
    fatima = visitor("staff-event").login(medewerker.email)
    fatima.follow(reverse("partnership:event_list")).check("events")
    fatima.follow(reverse("partnership:event_create")).check("new-event")
    fatima.fill(
        {
            "kind": "coffee_morning",
            "title": "Koffieochtend voor de Dolfijnen",
            "description": "Kom een kopje koffie drinken en maak kennis met de andere ouders.",
            "starts_at": local(starts),
            "ends_at": local(starts + timedelta(hours=1, minutes=30)),
            "location": "De ouderkamer",
            "capacity": "12",
        }
    ).submit()
    fatima.expect_message("success")
    fatima.check("event-created")
    event = Event.objects.get(title="Koffieochtend voor de Dolfijnen")

    # The parent finds it among the events and says yes.
    anne = visitor("parent-event").login(ouder.email)
    anne.follow(reverse("partnership:event_list")).check("events")
    anne.follow(event.get_absolute_url()).check("event")
    anne.fill({"answer": "yes"}, form="#rsvp form")
    anne.swap("#rsvp form", wait_for="#rsvp .alert-success")
    anne.check("answered")
    first = Reminder.objects.get(event=event, person=ouder, kind=Reminder.Kind.FIRST)
    assert first.due_at == event.starts_at - timedelta(hours=48)

    # Two days before, the dispatcher sends the reminder; its link opens the event.
    Reminder.objects.filter(pk=first.pk).update(due_at=timezone.now())
    mailoutbox.clear()
    dispatch_reminders()
    reminders = [m for m in mailoutbox if m.to == [ouder.email]]
    assert len(reminders) == 1, [m.subject for m in mailoutbox]
    link = re.search(r"https?://\S+" + re.escape(event.get_absolute_url()), reminders[0].body).group(0)
    anne.goto(link).check("from-reminder")
    assert event.title in anne.text("main h1")

    # Staff see who is coming.
    fatima.reload()
    fatima.follow(reverse("partnership:event_attendees", args=[event.pk])).check("attendees")
    assert ouder.name in fatima.text()
