import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import PostedOnceMixin
from common.widgets import DateInput

from ..models.absences import MAX_DAYS, NOTE_MAX_LENGTH, Absence

# How far back an absence can still be recorded (staff filling in yesterday), and how far ahead reported.
DAYS_BACK = 14
DAYS_AHEAD = 365


class AbsenceForm(PostedOnceMixin, forms.ModelForm):
    class Meta:
        model = Absence
        fields = ["reason", "first_day", "last_day", "note"]
        widgets = {
            "reason": forms.RadioSelect,
            "first_day": DateInput,
            "last_day": DateInput,
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "note": {
                "max_length": _("This note is too long: at most %(limit_value)d characters, it has %(show_value)d.")
            }
        }

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child
        today = timezone.localdate()
        self.fields["reason"].choices = Absence.Reason.choices
        self.fields["note"].max_length = NOTE_MAX_LENGTH
        self.fields["last_day"].required = False
        self.fields["last_day"].help_text = _("Leave empty for one day.")
        for name in ("first_day", "last_day"):
            self.fields[name].widget.attrs["min"] = (today - datetime.timedelta(days=DAYS_BACK)).isoformat()
            self.fields[name].widget.attrs["max"] = (today + datetime.timedelta(days=DAYS_AHEAD)).isoformat()
        if not self.is_bound:
            self.initial.setdefault("first_day", today.isoformat())

    def clean_first_day(self):
        day = self.cleaned_data["first_day"]
        today = timezone.localdate()
        if day < today - datetime.timedelta(days=DAYS_BACK):
            raise forms.ValidationError(
                _("An absence can be recorded up to %(days)d days back."), code="too_early", params={"days": DAYS_BACK}
            )
        if day > today + datetime.timedelta(days=DAYS_AHEAD):
            raise forms.ValidationError(_("That date is too far ahead."), code="too_late")
        return day

    def clean_note(self):
        return (self.cleaned_data.get("note") or "").strip()

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and not last and "last_day" not in self.errors:
            cleaned["last_day"] = last = first
        if first and last:
            if last < first:
                self.add_error("last_day", forms.ValidationError(_("The last day is before the first."), code="order"))
            elif (last - first).days + 1 > MAX_DAYS:
                self.add_error(
                    "last_day",
                    forms.ValidationError(
                        _("At most %(days)d days at once."), code="too_long", params={"days": MAX_DAYS}
                    ),
                )
        return cleaned
