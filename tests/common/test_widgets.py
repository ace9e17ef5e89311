"""The portal's typed inputs write what a browser can show, in Dutch and in English, and read it back."""

import datetime
import decimal
import zoneinfo

import pytest
from django import forms
from django.utils import timezone, translation

from common.widgets import DateInput, DateTimeInput, NumberInput, TimeInput

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


class TypedForm(forms.Form):
    day = forms.DateField(widget=DateInput)
    at = forms.DateTimeField(widget=DateTimeInput)
    time = forms.TimeField(widget=TimeInput)
    count = forms.IntegerField(widget=NumberInput, localize=True)
    amount = forms.DecimalField(widget=NumberInput, localize=True, decimal_places=2)


INITIAL = {
    "day": datetime.date(2026, 12, 1),
    "at": datetime.datetime(2026, 12, 22, 19, 30, tzinfo=AMSTERDAM),
    "time": datetime.time(8, 5),
    "count": 12345,
    "amount": decimal.Decimal("1234.50"),
}
BROWSER = {"day": "2026-12-01", "at": "2026-12-22T19:30", "time": "08:05", "count": "12345", "amount": "1234.50"}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_values_render_in_the_html_syntax_whatever_the_language(language, settings):
    settings.USE_THOUSAND_SEPARATOR = True
    settings.TIME_ZONE = "Europe/Amsterdam"
    with translation.override(language), timezone.override(AMSTERDAM):
        html = str(TypedForm(initial=INITIAL))
    assert 'type="date" name="day" value="2026-12-01"' in html
    assert 'type="datetime-local" name="at" value="2026-12-22T19:30"' in html
    assert 'type="time" name="time" value="08:05"' in html
    assert 'type="number" name="count" value="12345"' in html
    assert 'type="number" name="amount" value="1234.50"' in html


@pytest.mark.parametrize("language", ["nl", "en"])
def test_what_the_browser_sends_is_read_back(language, settings):
    settings.TIME_ZONE = "Europe/Amsterdam"
    with translation.override(language), timezone.override(AMSTERDAM):
        form = TypedForm(data=BROWSER)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == INITIAL["day"]
        assert form.cleaned_data["at"] == INITIAL["at"]
        assert form.cleaned_data["time"] == INITIAL["time"]
        assert form.cleaned_data["count"] == 12345
        assert form.cleaned_data["amount"] == decimal.Decimal("1234.50")
        # Sent back unchanged, nothing has changed.
        assert not TypedForm(data=BROWSER, initial=INITIAL).has_changed()


def test_a_form_with_errors_shows_what_was_typed():
    form = TypedForm(data={**BROWSER, "day": "2026-02-30", "count": "veel"})
    assert not form.is_valid()
    html = str(form)
    assert 'name="day" value="2026-02-30"' in html
    assert 'name="count" value="veel"' in html
    assert 'name="at" value="2026-12-22T19:30"' in html


def test_an_aware_datetime_is_shown_in_the_active_time_zone():
    utc = datetime.datetime(2026, 6, 1, 17, 0, tzinfo=datetime.UTC)
    with timezone.override(AMSTERDAM):
        assert DateTimeInput().format_value(utc) == "2026-06-01T19:00"
        assert DateInput().format_value(datetime.datetime(2026, 6, 1, 23, 30, tzinfo=datetime.UTC)) == "2026-06-02"
