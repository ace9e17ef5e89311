"""Typed form inputs that a browser can show and send back, in every language of the portal.

An `<input type="date">` only shows a value written as `YYYY-MM-DD`; `datetime-local` wants `YYYY-MM-DDTHH:MM`,
`time` wants `HH:MM` and `number` a plain number (no thousands separator, a point for decimals). Anything else
is dropped silently: the field looks empty and the next save clears it or answers "required". Django's own
widgets write the first input format of the active language (`01-12-2026` in Dutch), so every typed input of
the portal comes from here. Each widget also reads the browser's syntax back, whatever the active language.
"""

import datetime
import decimal

from django import forms
from django.utils import timezone

DATE_FORMAT = "%Y-%m-%d"
TIME_FORMAT = "%H:%M"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class _TypedInput:
    """Render with a fixed format (never localized) and parse the browser's syntax back into a value."""

    format = ""
    parse_formats = ()

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's widget signature
        super().__init__(attrs)
        self.format = self.__class__.format  # a fixed syntax: never the active language's input format

    def format_value(self, value):
        if value in ("", None):
            return None
        if isinstance(value, str):
            return value  # what was sent, shown again as it came (a form with errors)
        return self.to_text(value)

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if not isinstance(value, str) or not value.strip():
            return value
        text = value.strip()
        for parse_format in self.parse_formats:
            try:
                return self.from_parsed(datetime.datetime.strptime(text, parse_format))  # noqa: DTZ007
            except ValueError:
                continue
        return value  # not the browser's syntax: the form field parses it or explains why not


class DateInput(_TypedInput, forms.DateInput):
    input_type = "date"
    format = DATE_FORMAT
    parse_formats = (DATE_FORMAT,)

    def to_text(self, value):
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        return value.strftime(DATE_FORMAT) if isinstance(value, datetime.date) else str(value)

    def from_parsed(self, parsed):
        return parsed.date()


class TimeInput(_TypedInput, forms.TimeInput):
    input_type = "time"
    format = TIME_FORMAT
    parse_formats = (TIME_FORMAT, "%H:%M:%S", "%H:%M:%S.%f")

    def to_text(self, value):
        return value.strftime(TIME_FORMAT) if isinstance(value, datetime.time | datetime.datetime) else str(value)

    def from_parsed(self, parsed):
        return parsed.time()


class DateTimeInput(_TypedInput, forms.DateTimeInput):
    """`datetime-local`: the wall-clock time of the active time zone, without a zone."""

    input_type = "datetime-local"
    format = DATETIME_FORMAT
    parse_formats = (DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d %H:%M")

    def to_text(self, value):
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime(DATETIME_FORMAT)
        if isinstance(value, datetime.date):
            return value.strftime(DATE_FORMAT) + "T00:00"
        return str(value)

    def from_parsed(self, parsed):
        return parsed  # naive: the form field puts it in the active time zone


class NumberInput(forms.NumberInput):
    """A plain number, never localized: no thousands separator, a point before decimals."""

    def format_value(self, value):
        if value in ("", None):
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return str(int(value))
        if isinstance(value, decimal.Decimal):
            text = format(value, "f")
        elif isinstance(value, float):
            text = repr(value)
        else:
            text = str(value)
        return text
