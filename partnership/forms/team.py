from django import forms
from django.utils.translation import gettext_lazy as _

from common.concurrency import VersionedFormMixin
from common.widgets import TimeInput

from ..models.team import TeamSettings, Weekday


class TeamSettingsForm(VersionedFormMixin, forms.ModelForm):
    days = forms.MultipleChoiceField(
        label=_("Messages are answered on"),
        choices=Weekday.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = TeamSettings
        fields = ["absence_cutoff", "answer_from", "answer_until"]
        widgets = {
            "absence_cutoff": TimeInput,
            "answer_from": TimeInput,
            "answer_until": TimeInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = list(self.instance.answer_days)
        self.order_fields(["absence_cutoff", "days", "answer_from", "answer_until"])

    def save(self, commit=True):
        self.instance.answer_days = "".join(sorted(set(self.cleaned_data["days"])))
        return super().save(commit=commit)
