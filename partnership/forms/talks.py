from datetime import timedelta

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from children.models import Centre, Child, Group
from common.text import SingleLineTextMixin
from common.widgets import DateInput, DateTimeInput, NumberInput, TimeInput

from ..models.agreements import ChildAgreement
from ..models.handover import Handover
from ..models.observations import Theme
from ..models.talks import TalkPreparation, TalkReaction, plan_slots

MENTOR_CHILDREN = "mentor"
MAX_SLOTS = 300


class TalkRoundForm(SingleLineTextMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, initial=_("Talks about your child"))
    invite = forms.ChoiceField(label=_("Who is invited"))
    date_1 = forms.DateField(label=_("Date"), widget=DateInput())
    date_2 = forms.DateField(label=_("Second date"), required=False, widget=DateInput())
    date_3 = forms.DateField(label=_("Third date"), required=False, widget=DateInput())
    start_time = forms.TimeField(label=_("From"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Until"), widget=TimeInput())
    slot_minutes = forms.IntegerField(
        label=_("Minutes per talk"), min_value=5, max_value=120, initial=15, widget=NumberInput()
    )
    break_start = forms.TimeField(label=_("Break from"), required=False, widget=TimeInput())
    break_end = forms.TimeField(label=_("Break until"), required=False, widget=TimeInput())
    place = forms.CharField(label=_("Room or place"), max_length=200, required=False)
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    booking_deadline = forms.DateTimeField(label=_("Parents book before"), widget=DateTimeInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.groups = {str(g.pk): g for g in Group.objects.worked_on_by(user).select_related("centre").order_by("name")}
        choices = [(pk, _("Group %(group)s") % {"group": g}) for pk, g in self.groups.items()]
        self.mentor_centres = list(
            Child.objects.current().mentored_by(user).values_list("group__centre", flat=True).distinct()
        )
        if self.mentor_centres:
            choices.insert(0, (MENTOR_CHILDREN, _("The children I mentor")))
        self.fields["invite"].choices = choices

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end must be after the start."))
        pause = data.get("break_start"), data.get("break_end")
        if any(pause) and not all(pause):
            self.add_error("break_end", _("Give both the start and the end of the break, or neither."))
        elif all(pause) and pause[1] <= pause[0]:
            self.add_error("break_end", _("The break must end after it starts."))
        if not data.get("place") and not data.get("video_url"):
            self.add_error("place", _("Give a room or place, or a video link."))
        today = timezone.localdate()
        dates = [d for d in (data.get("date_1"), data.get("date_2"), data.get("date_3")) if d]
        for name in ("date_1", "date_2", "date_3"):
            day = data.get(name)
            if day and (day < today or day > today + timedelta(days=366)):
                self.add_error(name, _("Choose a date from today to a year ahead."))
        if self.errors or not dates or not start or not end or not data.get("slot_minutes"):
            return data
        slots = plan_slots(dates, start, end, data["slot_minutes"], *pause)
        if not slots:
            self.add_error("end_time", _("No talk fits between these times."))
            return data
        if len(slots) > MAX_SLOTS:
            self.add_error("slot_minutes", _("That makes too many talks; choose fewer dates or longer talks."))
            return data
        deadline = data.get("booking_deadline")
        if deadline and deadline <= timezone.now():
            self.add_error("booking_deadline", _("The deadline must lie ahead."))
        elif deadline and deadline > slots[0][0]:
            self.add_error(
                "booking_deadline",
                _("Parents must book before the first talk, at %(time)s.")
                % {"time": formats.date_format(timezone.localtime(slots[0][0]), "j F H:i")},
            )
        data["slots"] = slots
        return data

    def target(self):
        """(centre, group) of the round; group None for the mentor's own children."""
        invite = self.cleaned_data["invite"]
        if invite == MENTOR_CHILDREN:
            from children.models import Centre

            return Centre.objects.get(pk=self.mentor_centres[0]), None
        group = self.groups[invite]
        return group.centre, group


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return formats.date_format(timezone.localtime(obj.starts_at), "l j F H:i")


class TalkBookingForm(SingleLineTextMixin, forms.Form):
    """One choice of time per child of this parent, free times only (and the child's own)."""

    def __init__(self, *args, talk_round, children, free_slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = list(children)
        own = {s.child_id: s for s in talk_round.slots.filter(child__in=self.children)}
        for child in self.children:
            queryset = free_slots
            if child.pk in own:
                queryset = talk_round.slots.filter(pk__in=[*free_slots.values_list("pk", flat=True), own[child.pk].pk])
            self.fields[f"child_{child.pk}"] = SlotChoiceField(
                queryset=queryset.order_by("starts_at"),
                required=False,
                label=_("Time for %(child)s") % {"child": child.first_name},
                empty_label=_("Not yet"),
                initial=own[child.pk].pk if child.pk in own else None,
            )

    def choices(self):
        return {
            child: slot.pk
            for child in self.children
            if (slot := self.cleaned_data.get(f"child_{child.pk}")) is not None
        }


def adjacent_starts(slots, count):
    """Slots from which `count` free slots follow one another without a gap."""
    slots = list(slots)
    starts = []
    for i in range(len(slots) - count + 1):
        run = slots[i : i + count]
        if all(run[j].ends_at == run[j + 1].starts_at for j in range(count - 1)):
            starts.append(run)
    return starts


class SiblingsBookingForm(SingleLineTextMixin, forms.Form):
    """Book the children one after another, from one chosen start time."""

    start = forms.ChoiceField(label=_("Talks one after another, starting at"))

    def __init__(self, *args, children, free_slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = list(children)
        self.runs = {
            str(run[0].pk): run for run in adjacent_starts(free_slots.order_by("starts_at"), len(self.children))
        }
        self.fields["start"].choices = [
            (pk, formats.date_format(timezone.localtime(run[0].starts_at), "l j F H:i"))
            for pk, run in self.runs.items()
        ]

    def choices(self):
        run = self.runs[self.cleaned_data["start"]]
        return {child: slot.pk for child, slot in zip(self.children, run, strict=True)}


class TalkPreparationForm(SingleLineTextMixin, forms.ModelForm):
    class Meta:
        model = TalkPreparation
        fields = list(TalkPreparation.PROMPTS)
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in TalkPreparation.PROMPTS}
        help_texts = {"at_home": _("Only you and the mentor read your answers. Fill in what you like.")}


class ObservationPickForm(SingleLineTextMixin, forms.Form):
    observations = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label=_("Observations to discuss")
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["observations"].queryset = candidates
        self.fields["observations"].label_from_instance = lambda o: (
            f"{formats.date_format(o.observed_on)} · {o.get_side_display()} · {o.get_theme_display()}: {o.text[:120]}"
        )


class TalkReportForm(SingleLineTextMixin, forms.Form):
    text = forms.CharField(label=_("Report"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 6}))
    publish = forms.BooleanField(label=_("Share with the parents"), required=False)
    agreement_title = forms.CharField(label=_("Agreement made in the talk (title)"), max_length=200, required=False)
    agreement_text = forms.CharField(
        label=_("What we agreed"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    agreement_topic = forms.ChoiceField(label=_("Topic"), choices=ChildAgreement.Topic.choices, required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("agreement_title")) != bool(data.get("agreement_text")):
            self.add_error("agreement_text", _("Give the agreement both a title and what you agreed."))
        if data.get("publish") and not data.get("text", "").strip():
            self.add_error("text", _("Write the report before you share it."))
        return data

    def agreement(self):
        data = self.cleaned_data
        if not data.get("agreement_title"):
            return None
        return ChildAgreement(
            topic=data.get("agreement_topic") or ChildAgreement.Topic.OTHER,
            title=data["agreement_title"],
            text=data["agreement_text"],
        )


class TalkReactionForm(SingleLineTextMixin, forms.ModelForm):
    class Meta:
        model = TalkReaction
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class HandoverForm(SingleLineTextMixin, forms.ModelForm):
    """The mentor's text: one field per development theme, then wellbeing, what helps and agreements."""

    class Meta:
        model = Handover
        fields = ["wellbeing", "what_helps", "agreements_that_work"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        theme_fields = {}
        for value, label in Theme.choices:
            theme_fields[f"theme_{value}"] = forms.CharField(
                label=_("%(theme)s: what the child can and likes") % {"theme": label},
                required=False,
                max_length=3000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=self.instance.themes.get(value, ""),
            )
        self.fields = {**theme_fields, **self.fields}

    def save(self, commit=True):
        self.instance.themes = {
            value: self.cleaned_data[f"theme_{value}"].strip()
            for value, _label in Theme.choices
            if self.cleaned_data.get(f"theme_{value}", "").strip()
        }
        return super().save(commit=commit)


class HandoverParentViewForm(SingleLineTextMixin, forms.ModelForm):
    class Meta:
        model = Handover
        fields = ["parent_view"]
        widgets = {"parent_view": forms.Textarea(attrs={"rows": 5})}
        labels = {"parent_view": _("Your own view")}
        help_texts = {"parent_view": _("It is shown beside the mentor's text; the mentor's text stays as it is.")}


class HandoverConsentForm(SingleLineTextMixin, forms.Form):
    answer = forms.TypedChoiceField(
        label=_("May the centre share this handover with the school?"),
        choices=[("yes", _("Yes, it may be shared")), ("no", _("No, do not share it"))],
        widget=forms.RadioSelect,
    )


class HandoverSendForm(SingleLineTextMixin, forms.Form):
    school_name = forms.CharField(label=_("School"), max_length=200)
    contact_name = forms.CharField(label=_("Name of the school contact"), max_length=150)
    contact_email = forms.EmailField(label=_("Email of the school contact"))


class HandoverAgeForm(SingleLineTextMixin, forms.ModelForm):
    class Meta:
        model = Centre
        fields = ["handover_from_months"]
        widgets = {"handover_from_months": NumberInput()}


class DayForm(SingleLineTextMixin, forms.Form):
    day = forms.DateField(label=_("Day"), required=False, widget=DateInput())
