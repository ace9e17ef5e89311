from datetime import timedelta

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.concurrency import VersionedFormMixin
from common.text import SingleLineTextMixin
from common.widgets import DateInput

from ..models import AccountDeletionRequest, Centre, Child

YES_NO = [("yes", _("Yes, I agree")), ("no", _("No, I do not agree"))]


class ConsentForm(SingleLineTextMixin, forms.Form):
    """The photo questions, one per use that exists (the child's timeline and profile, the group moments),
    each answered explicitly: nothing is ticked in advance."""

    photo_consent = forms.TypedChoiceField(
        label=_("May the staff add photos of your child to your child's timeline and profile?"),
        help_text=_("Only you, the other parents of your child and your child's staff see the timeline."),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    group_photo_consent = forms.TypedChoiceField(
        label=_("May your child be in photos shared with all parents of the group?"),
        help_text=_(
            "The photos of a group moment the staff share with the parents of the group. Without your consent "
            "no parent sees a photo your child is in."
        ),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, child, answered, **kwargs):
        if answered:
            kwargs.setdefault(
                "initial",
                {
                    "photo_consent": "yes" if child.photo_consent else "no",
                    "group_photo_consent": "yes" if child.group_photo_consent else "no",
                },
            )
        super().__init__(*args, **kwargs)


class RetentionForm(VersionedFormMixin, forms.ModelForm):
    MAX_MONTHS = 120

    class Meta:
        model = Centre
        fields = ["retention_months"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["retention_months"]
        field.validators.append(MaxValueValidator(self.MAX_MONTHS))
        field.widget.attrs["max"] = self.MAX_MONTHS


class LeavingForm(SingleLineTextMixin, forms.ModelForm):
    """A manager records a child's last day; the retention period starts from it."""

    class Meta:
        model = Child
        fields = ["end_date"]
        widgets = {"end_date": DateInput}
        help_texts = {"end_date": _("Leave empty when the child stays after all.")}

    def clean_end_date(self):
        end = self.cleaned_data.get("end_date")
        start = self.instance.start_date or self.instance.date_of_birth
        if end and start and end < start:
            raise forms.ValidationError(_("The last day cannot be before the child started."))
        if end and end > timezone.localdate() + timedelta(days=5 * 366):
            raise forms.ValidationError(_("The last day must fall within the next five years."))
        return end

    def save(self, commit=True):
        child = super().save(commit=False)
        if commit:
            # Only the last day: a profile saved meanwhile by a parent or the staff stays as they saved it.
            child.save(update_fields=["end_date"])
        return child


class DeletionRequestForm(SingleLineTextMixin, forms.ModelForm):
    understood = forms.BooleanField(
        label=_("I understand that I can no longer log in once the centre has confirmed this."),
        required=True,
    )

    class Meta:
        model = AccountDeletionRequest
        fields = ["reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}


class AccessLogFilterForm(SingleLineTextMixin, forms.Form):
    child = forms.ModelChoiceField(label=_("Child"), queryset=Child.objects.none(), required=False)

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = Child.objects.filter(group__centre=centre).order_by("first_name", "pk")
