"""iCalendar files: one event to download, or a person's private feed that a phone calendar subscribes to."""

from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from common.text import one_line, without_control_characters


def _uid(event):
    host = urlsplit(settings.SITE_URL).hostname or "samenspel"
    return f"event-{event.pk}@{host}"


def build_calendar(events, name, talks=()):
    """The .ics bytes for `events`; cancelled events stay in, marked CANCELLED, so calendars remove them."""
    calendar = Calendar()
    calendar.add("prodid", "-//Samenspel//Events//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", one_line(name))
    stamp = datetime.now(UTC)
    for event in events:
        entry = CalendarEvent()
        url = settings.SITE_URL + event.get_absolute_url()
        entry.add("uid", _uid(event))
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.starts_at.astimezone(UTC))
        entry.add("dtend", event.ends_at.astimezone(UTC))
        entry.add("summary", one_line(event.title))
        if event.location:
            entry.add("location", one_line(event.location))
        entry.add("description", without_control_characters(f"{event.description}\n\n{url}".strip()))
        entry.add("url", url)
        entry.add("sequence", event.sequence)
        entry.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
        calendar.add_component(entry)
    for entry in talk_entries(talks, stamp):
        calendar.add_component(entry)
    return calendar.to_ical()


def talk_entries(slots, stamp):
    """Booked talks (TalkSlot rows with their round and child) as calendar entries."""
    host = urlsplit(settings.SITE_URL).hostname or "samenspel"
    for slot in slots:
        entry = CalendarEvent()
        url = settings.SITE_URL + slot.get_absolute_url()
        entry.add("uid", f"talk-{slot.pk}-{slot.child_id}@{host}")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", slot.starts_at.astimezone(UTC))
        entry.add("dtend", slot.ends_at.astimezone(UTC))
        entry.add("summary", one_line(f"{slot.round.title}: {slot.child.first_name}"))
        if slot.round.where:
            entry.add("location", one_line(slot.round.where))
        entry.add("description", url)
        entry.add("url", url)
        entry.add("status", "CONFIRMED")
        yield entry


def build_talk_calendar(slots, name):
    return build_calendar([], name, talks=slots)
