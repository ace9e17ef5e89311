from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from children.models import Centre, Group
from common.concurrency import VersionedFormMixin
from common.text import SingleLineTextMixin
from common.widgets import DateTimeInput

from ..models.events import MAX_PARTY_SIZE, Event, Rsvp


class EventForm(VersionedFormMixin, forms.ModelForm):
    """Create or edit an event of one of the centres the person works at."""

    class Meta:
        model = Event
        fields = [
            "centre",
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "location",
            "capacity",
            "bring_someone",
            "groups",
            "for_new_parents",
            "new_parents_weeks",
            "first_reminder_hours",
            "second_reminder_hours",
            "nudge_hours",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "groups": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        centres = Centre.objects.worked_at_by(user)
        self.fields["centre"].queryset = centres
        self.fields["centre"].empty_label = None
        self.fields["groups"].queryset = Group.objects.filter(centre__in=centres).select_related("centre")
        self.fields["groups"].label_from_instance = lambda group: f"{group} ({group.centre})"
        if self.instance.pk:
            self.fields["centre"].disabled = True

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if starts_at and starts_at <= timezone.now() and (not self.instance.pk or "starts_at" in self.changed_data):
            raise forms.ValidationError(_("Choose a moment in the future."))
        if starts_at and starts_at > timezone.now() + timedelta(days=2 * 365):
            raise forms.ValidationError(_("Choose a moment within the next two years."))
        return starts_at

    def clean(self):
        data = super().clean()
        starts_at, ends_at, centre = data.get("starts_at"), data.get("ends_at"), data.get("centre")
        if starts_at and ends_at and ends_at < starts_at:
            self.add_error("ends_at", _("The event cannot end before it starts."))
        elif starts_at and ends_at and ends_at > starts_at + timedelta(days=7):
            self.add_error("ends_at", _("An event lasts at most a week."))
        groups = data.get("groups")
        if centre and groups and any(group.centre_id != centre.pk for group in groups):
            self.add_error("groups", _("Choose groups of the centre of this event."))
        if centre and starts_at and data.get("title"):
            same = Event.objects.filter(
                centre=centre, title=data["title"], starts_at=starts_at, cancelled_at__isnull=True
            ).exclude(pk=self.instance.pk)
            if same.exists():
                raise forms.ValidationError(_("This event already exists: same title, same time."))
        return data


class RsvpForm(SingleLineTextMixin, forms.Form):
    answer = forms.ChoiceField(label=_("Will you come?"), choices=Rsvp.Answer.choices, widget=forms.RadioSelect)
    party_size = forms.IntegerField(
        label=_("Number of people, including yourself"), min_value=1, max_value=MAX_PARTY_SIZE, initial=1
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        if event.bring_someone:
            self.fields["party_size"].max_value = event.max_party_size()
            self.fields["party_size"].widget.attrs["max"] = event.max_party_size()
        else:
            self.fields["party_size"].widget = forms.HiddenInput()
            self.fields["party_size"].required = False

    def clean_party_size(self):
        return self.cleaned_data.get("party_size") or 1


class CancelEventForm(SingleLineTextMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, cancel this event and tell everyone who answered"),
        error_messages={"required": _("Tick the box to confirm.")},
    )
