from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from children.photos import PhotoField, store_pending_photos
from common.concurrency import VersionedFormMixin
from common.forms import PostedOnceMixin
from common.text import SingleLineTextMixin
from common.widgets import DateInput

from ..models.observations import (
    COMMENT_MAX_LENGTH,
    MAX_PHOTOS,
    Observation,
    ObservationPhoto,
    Reply,
    Side,
    Theme,
    TipOutcome,
)
from ..models.prompts import OBSERVATION_PROMPTS
from ..tasks import process_observation_photo

TEXT_ERRORS = {
    "required": _("Write a few words about what you saw."),
    "max_length": _(
        "This text is too long: at most %(limit_value)d characters, it has %(show_value)d. "
        "Could you make it shorter or split it in two?"
    ),
}
REPLY_ERRORS = {
    "required": _("Write your reply first."),
    "max_length": TEXT_ERRORS["max_length"],
}


def _strip_text(value):
    return (value or "").strip()


def prompt_choice(prompts):
    """An optional question to answer, so a parent starts from a question rather than a blank box."""
    return forms.ChoiceField(
        label=_("Start from a question"),
        required=False,
        widget=forms.RadioSelect(attrs={"class": "prompt-choice"}),
        choices=[("", _("In my own words")), *[(prompt.value, prompt.label) for prompt in prompts]],
    )


class ObservationForm(VersionedFormMixin, PostedOnceMixin, forms.ModelForm):
    photos = PhotoField(
        label=_("Photos"),
        required=False,
        max_count=MAX_PHOTOS,
    )

    class Meta:
        model = Observation
        fields = ["observed_on", "theme", "text", "is_question"]
        widgets = {"observed_on": DateInput, "text": forms.Textarea(attrs={"rows": 5})}
        error_messages = {"text": TEXT_ERRORS}

    def __init__(self, *args, child, side, **kwargs):
        super().__init__(*args, **kwargs)
        self.child, self.side = child, side
        self.fields["photos"].help_text = gettext(
            "Up to %(count)d photos (JPEG, PNG, WebP or GIF). Location data is removed."
        ) % {"count": MAX_PHOTOS}
        self.fields["theme"].choices = [("", _("Choose a theme")), *Theme.choices]
        self.fields["observed_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        if side != Side.HOME:
            del self.fields["is_question"]
        if self.instance.pk:
            self.existing_photos = list(self.instance.photos.all())
            if self.existing_photos:
                self.fields["remove_photos"] = forms.ModelMultipleChoiceField(
                    queryset=self.instance.photos.all(),
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    label=_("Remove photos"),
                )
                self.fields["remove_photos"].label_from_instance = lambda photo: (
                    _("Photo %(number)d") % {"number": self.existing_photos.index(photo) + 1}
                )
        else:
            self.existing_photos = []

    def clean_text(self):
        text = _strip_text(self.cleaned_data.get("text"))
        if not text:
            raise forms.ValidationError(TEXT_ERRORS["required"], code="required")
        return text

    def clean_observed_on(self):
        day = self.cleaned_data["observed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        if day < self.child.date_of_birth:
            raise forms.ValidationError(_("The date cannot be before %(child)s was born.") % {"child": self.child})
        return day

    def clean(self):
        cleaned = super().clean()
        removing = len(cleaned.get("remove_photos") or [])
        total = len(self.existing_photos) - removing + len(cleaned.get("photos") or [])
        if total > MAX_PHOTOS:
            self.add_error("photos", _("An observation can have at most %(max)d photos.") % {"max": MAX_PHOTOS})
        return cleaned

    def _store_photos(self, observation):
        store_pending_photos(
            self.cleaned_data.get("photos") or [],
            lambda: ObservationPhoto(observation=observation),
            process_observation_photo,
        )

    def save_new(self, author):
        def save(token):
            observation = self.instance
            observation.child, observation.author, observation.side = self.child, author, self.side
            observation.submission_token = token
            observation.save()
            self._store_photos(observation)
            return observation

        return self.save_once(Observation, author, save)

    def save_changes(self):
        with transaction.atomic():
            observation = self.instance
            observation.edited_at = timezone.now()
            observation.save()
            for photo in self.cleaned_data.get("remove_photos") or []:
                removed = (photo.image, photo.thumbnail, photo.original)  # original: still waiting for the worker
                photo.delete()
                transaction.on_commit(lambda files=removed: [f.delete(save=False) for f in files])
            self._store_photos(observation)
        return observation


class ReplyForm(PostedOnceMixin, forms.ModelForm):
    class Meta:
        model = Reply
        fields = ["text", "is_tip"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": REPLY_ERRORS}
        labels = {"is_tip": _('This is a tip ("have you tried…?")')}

    def __init__(self, *args, observation, side, **kwargs):
        # One reply form per card on the timeline: the prefix keeps field names and ids apart.
        kwargs.setdefault("prefix", f"reply-{observation.pk}")
        super().__init__(*args, **kwargs)
        self.observation, self.side = observation, side
        if side == Side.HOME and observation.side == Side.CENTRE:
            self.fields["prompt"] = prompt_choice(OBSERVATION_PROMPTS)
            self.order_fields(["prompt", "text"])

    def clean_text(self):
        text = _strip_text(self.cleaned_data.get("text"))
        if not text:
            raise forms.ValidationError(REPLY_ERRORS["required"], code="required")
        return text

    def save_new(self, author):
        def save(token):
            reply = self.instance
            reply.observation, reply.author, reply.side = self.observation, author, self.side
            reply.prompt = self.cleaned_data.get("prompt") or ""
            reply.submission_token = token
            reply.save()
            return reply

        return self.save_once(Reply, author, save)


class ReplyEditForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Reply
        fields = ["text", "is_tip"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"text": REPLY_ERRORS}
        labels = {"is_tip": _('This is a tip ("have you tried…?")')}

    def clean_text(self):
        text = _strip_text(self.cleaned_data.get("text"))
        if not text:
            raise forms.ValidationError(REPLY_ERRORS["required"], code="required")
        return text

    def clean_is_tip(self):
        is_tip = self.cleaned_data["is_tip"]
        if not is_tip and hasattr(self.instance, "outcome"):
            raise forms.ValidationError(_("This tip has already been tried, so it stays a tip."))
        return is_tip

    def save(self, commit=True):
        self.instance.edited_at = timezone.now()
        return super().save(commit)


class TipOutcomeForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = TipOutcome
        fields = ["result", "comment"]
        widgets = {"result": forms.RadioSelect, "comment": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "result": {"required": _("Choose whether the tip worked.")},
            "comment": {"max_length": TEXT_ERRORS["max_length"]},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].choices = TipOutcome.Result.choices
        self.fields["comment"].max_length = COMMENT_MAX_LENGTH

    def clean_comment(self):
        return _strip_text(self.cleaned_data.get("comment"))


class TimelineFilterForm(SingleLineTextMixin, forms.Form):
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    side = forms.ChoiceField(label=_("From"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("All themes")), *Theme.choices]
        self.fields["side"].choices = [("", _("Home and centre")), *Side.choices]
        for field in self.fields.values():
            field.widget.attrs.update({"data-autosubmit": "", "class": "form-select"})

    def filter(self, observations):
        if not self.is_valid():
            return observations
        if theme := self.cleaned_data.get("theme"):
            observations = observations.filter(theme=theme)
        if side := self.cleaned_data.get("side"):
            observations = observations.filter(side=side)
        return observations

    @property
    def query(self):
        """The active filters as a query string for pagination links."""
        if not self.is_valid():
            return ""
        return urlencode({k: v for k, v in self.cleaned_data.items() if v})
