from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from children.models import Child
from children.photos import PhotoField, store_pending_photos
from common.concurrency import VersionedFormMixin
from common.forms import PostedOnceMixin
from common.text import SingleLineTextMixin
from common.widgets import DateInput

from ..models.moments import MAX_MOMENT_PHOTOS, GroupMoment, MomentPhoto, MomentReply
from ..models.observations import Side, Theme
from ..models.prompts import MOMENT_PROMPTS
from ..tasks import process_moment_photo
from .observations import REPLY_ERRORS, TEXT_ERRORS, _strip_text, prompt_choice


class ChildrenCheckboxes(forms.ModelMultipleChoiceField):
    # The class lines a box up with its name where the template renders the boxes one by one.
    widget = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})

    def label_from_instance(self, child):
        return str(child)


class MomentForm(PostedOnceMixin, forms.ModelForm):
    children = ChildrenCheckboxes(
        queryset=Child.objects.none(),
        required=False,
        label=_("For these children"),
        help_text=_("Only when the moment is not for the whole group."),
    )
    photos = PhotoField(label=_("Photos"), required=False, max_count=MAX_MOMENT_PHOTOS)

    class Meta:
        model = GroupMoment
        fields = ["happened_on", "theme", "text", "for_whole_group"]
        widgets = {"happened_on": DateInput, "text": forms.Textarea(attrs={"rows": 5})}
        error_messages = {"text": TEXT_ERRORS}

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        self.fields["children"].queryset = group.children.current().order_by("first_name", "pk")
        self.fields["theme"].choices = [("", _("Choose a theme")), *Theme.choices]
        self.fields["happened_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["photos"].help_text = gettext(
            "Up to %(count)d photos. After saving you mark who is in each photo; until then no parent sees it."
        ) % {"count": MAX_MOMENT_PHOTOS}
        if self.instance.pk:
            self.initial.setdefault("children", list(self.instance.children.values_list("pk", flat=True)))
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
            self.initial.setdefault("happened_on", timezone.localdate())

    def clean_text(self):
        text = _strip_text(self.cleaned_data.get("text"))
        if not text:
            raise forms.ValidationError(TEXT_ERRORS["required"], code="required")
        return text

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        return day

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("for_whole_group"):
            cleaned["children"] = list(self.fields["children"].queryset)
            if not cleaned["children"]:
                self.add_error("for_whole_group", _("There are no children in this group yet."))
        elif not cleaned.get("children") and "children" not in self.errors:
            self.add_error(
                "children", forms.ValidationError(_("Choose the children this moment is for."), code="required")
            )
        removing = len(cleaned.get("remove_photos") or [])
        if len(self.existing_photos) - removing + len(cleaned.get("photos") or []) > MAX_MOMENT_PHOTOS:
            self.add_error("photos", _("A moment can have at most %(max)d photos.") % {"max": MAX_MOMENT_PHOTOS})
        return cleaned

    def _store_photos(self, moment):
        store_pending_photos(
            self.cleaned_data.get("photos") or [], lambda: MomentPhoto(moment=moment), process_moment_photo
        )

    def save_new(self, author):
        def save(token):
            moment = self.instance
            moment.group, moment.author, moment.submission_token = self.group, author, token
            moment.save()
            moment.children.set(self.cleaned_data["children"])
            self._store_photos(moment)
            return moment

        return self.save_once(GroupMoment, author, save)

    def save_changes(self):
        with transaction.atomic():
            moment = self.instance
            moment.edited_at = timezone.now()
            moment.save()
            moment.children.set(self.cleaned_data["children"])
            for photo in self.cleaned_data.get("remove_photos") or []:
                photo.delete()
            self._store_photos(moment)
        return moment


class PhotoMarkForm(SingleLineTextMixin, forms.Form):
    """Per photo: which of the moment's children are in it. Nobody ticked means: no child in this photo."""

    def __init__(self, *args, moment, photos, **kwargs):
        super().__init__(*args, **kwargs)
        self.moment, self.photos = moment, photos
        children = moment.children.order_by("first_name", "pk")
        for number, photo in enumerate(photos, start=1):
            field = ChildrenCheckboxes(
                queryset=children,
                required=False,
                label=_("Who is in photo %(number)d?") % {"number": number},
            )
            field.photo = photo
            self.fields[f"photo_{photo.pk}"] = field
            if photo.marked_at is not None:
                self.initial[f"photo_{photo.pk}"] = [c.pk for c in photo.children.all()]

    def photo_fields(self):
        return [(self[name], self.fields[name].photo) for name in self.fields]

    def save(self):
        now = timezone.now()
        with transaction.atomic():
            for photo in self.photos:
                photo.children.set(self.cleaned_data[f"photo_{photo.pk}"])
                photo.marked_at = now
                photo.save(update_fields=["marked_at"])


class MomentReplyForm(PostedOnceMixin, forms.ModelForm):
    class Meta:
        model = MomentReply
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"text": REPLY_ERRORS}

    def __init__(self, *args, moment, child, side, **kwargs):
        kwargs.setdefault("prefix", f"moment-{moment.pk}-{child.pk}")
        super().__init__(*args, **kwargs)
        self.moment, self.child, self.side = moment, child, side
        if side == Side.HOME:
            self.fields["prompt"] = prompt_choice(MOMENT_PROMPTS)
            self.order_fields(["prompt", "text"])

    def clean_text(self):
        text = _strip_text(self.cleaned_data.get("text"))
        if not text:
            raise forms.ValidationError(REPLY_ERRORS["required"], code="required")
        return text

    def save_new(self, author):
        def save(token):
            reply = self.instance
            reply.moment, reply.child, reply.author, reply.side = self.moment, self.child, author, self.side
            reply.prompt = self.cleaned_data.get("prompt") or ""
            reply.submission_token = token
            reply.save()
            return reply

        return self.save_once(MomentReply, author, save)


class MomentReplyEditForm(VersionedFormMixin, forms.ModelForm):
    """Changing one's own reply under a group moment, as a reply under an observation is changed."""

    class Meta:
        model = MomentReply
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"text": REPLY_ERRORS}

    def clean_text(self):
        text = _strip_text(self.cleaned_data.get("text"))
        if not text:
            raise forms.ValidationError(REPLY_ERRORS["required"], code="required")
        return text

    def save(self, commit=True):
        self.instance.edited_at = timezone.now()
        return super().save(commit)
