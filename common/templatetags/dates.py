"""Dates and times as people say them, in every template (a built-in library, see settings.TEMPLATES).

- `{{ when|ago }}`: "zojuist", "2 minuten geleden", "3 uur geleden", "gisteren", "4 dagen geleden", then the date;
- `{{ since|duration }}`: one unit, never "1 dag, 11 uur" ("1 dag", "5 minuten", "minder dan een minuut");
- `{{ day|short_date }}`: "29 nov." this year, "29 nov. 2025" another year;
- `{{ moment|short_datetime }}`: "22 dec. 19:30", with the year when it is not this year.
"""

import datetime

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext

register = template.Library()

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR


def _local(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            return timezone.localtime(value)
        return value
    return value


def _today():
    return timezone.localdate()


@register.filter(expects_localtime=False)
def short_date(value):
    """The day and abbreviated month; the year only when it is not this year."""
    if not value:
        return ""
    value = _local(value)
    day = value.date() if isinstance(value, datetime.datetime) else value
    name = "MONTH_DAY_FORMAT" if day.year == _today().year else "ABBR_DATE_FORMAT"
    return formats.date_format(value, name)


@register.filter(expects_localtime=False)
def short_datetime(value):
    """The day, abbreviated month and time; the year only when it is not this year."""
    if not value:
        return ""
    value = _local(value)
    if not isinstance(value, datetime.datetime):
        return short_date(value)
    name = "MONTH_DAY_TIME_FORMAT" if value.year == _today().year else "ABBR_DATETIME_FORMAT"
    return formats.date_format(value, name)


@register.filter(expects_localtime=False)
def ago(value, now=None):
    """How long ago, as one says it: "zojuist", "2 minuten geleden", "gisteren", later the date itself."""
    if not value:
        return ""
    now = now or timezone.now()
    if not isinstance(value, datetime.datetime):
        days = (_today() - value).days
        if days == 0:
            return gettext("today")
        if days == 1:
            return gettext("yesterday")
        if 1 < days < 7:
            return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}
        return short_date(value)
    seconds = (now - value).total_seconds()
    if seconds < MINUTE:
        return gettext("just now")  # also a moment in the future: clocks differ a little
    if seconds < HOUR:
        minutes = int(seconds // MINUTE)
        return ngettext("%(count)d minute ago", "%(count)d minutes ago", minutes) % {"count": minutes}
    local, local_now = _local(value), _local(now) if timezone.is_aware(now) else now
    days = (local_now.date() - local.date()).days
    if days == 0:
        hours = int(seconds // HOUR)
        return ngettext("%(count)d hour ago", "%(count)d hours ago", hours) % {"count": hours}
    if days == 1:
        return gettext("yesterday")
    if days < 7:
        return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}
    return short_date(value)


@register.filter(expects_localtime=False)
def duration(value, now=None):
    """How long since `value`, in its largest unit only: "1 dag", "3 uur", "5 minuten"."""
    if not value:
        return ""
    now = now or timezone.now()
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time.min, tzinfo=timezone.get_current_timezone())
    seconds = max((now - value).total_seconds(), 0)
    if seconds < MINUTE:
        return gettext("less than a minute")
    if seconds < HOUR:
        count = int(seconds // MINUTE)
        return ngettext("%(count)d minute", "%(count)d minutes", count) % {"count": count}
    if seconds < DAY:
        count = int(seconds // HOUR)
        return ngettext("%(count)d hour", "%(count)d hours", count) % {"count": count}
    if seconds < 14 * DAY:
        count = int(seconds // DAY)
        return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}
    count = int(seconds // (7 * DAY))
    return ngettext("%(count)d week", "%(count)d weeks", count) % {"count": count}
