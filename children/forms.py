from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from common.concurrency import VersionedFormMixin
from common.text import SingleLineTextMixin
from common.widgets import DateInput

from .models import Child, Group
from .photos import PhotoField, PhotoStatus, queue_on_commit, store_original
from .tasks import process_child_photo


class GroupForm(SingleLineTextMixin, forms.ModelForm):
    class Meta:
        model = Group
        fields = ["name"]

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.centre = centre

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Group.objects.filter(centre=self.instance.centre, name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This centre already has a group with that name."))
        return name


class ChildForm(SingleLineTextMixin, forms.ModelForm):
    class Meta:
        model = Child
        fields = ["first_name", "last_name", "date_of_birth", "group", "start_date"]
        widgets = {"date_of_birth": DateInput, "start_date": DateInput}

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = centre.groups.all()

    def clean(self):
        cleaned = super().clean()
        born, start = cleaned.get("date_of_birth"), cleaned.get("start_date")
        if born and start and start < born:
            self.add_error("start_date", _("The start date cannot be before the date of birth."))
        return cleaned


class ChildProfileForm(VersionedFormMixin, forms.ModelForm):
    """ "About me": parents and staff both edit it. Staff also keep the details, managers move groups."""

    photo_upload = PhotoField(
        label=_("Photo"),
        required=False,
        help_text=_("Shown only when the parents consent to photos. Location data is removed."),
    )
    remove_photo = forms.BooleanField(label=_("Remove the current photo"), required=False)

    class Meta:
        model = Child
        fields = [*Child.PROFILE_FIELDS, "first_name", "last_name", "date_of_birth", "start_date", "group"]
        widgets = {
            "date_of_birth": DateInput,
            "start_date": DateInput,
            **{name: forms.Textarea(attrs={"rows": 3}) for name in Child.PROFILE_FIELDS if name != "languages"},
        }

    def __init__(self, *args, can_edit_details, can_move_group, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_edit_details:
            for name in ["first_name", "last_name", "date_of_birth", "start_date"]:
                del self.fields[name]
        if can_move_group:
            self.fields["group"].queryset = Group.objects.filter(centre=self.instance.group.centre_id)
        else:
            del self.fields["group"]
        if not self.instance.photo:
            del self.fields["remove_photo"]
        self.order_fields(["photo_upload", "remove_photo"])

    def clean(self):
        cleaned = super().clean()
        born = cleaned.get("date_of_birth", self.instance.date_of_birth)
        start = cleaned.get("start_date", self.instance.start_date)
        if born and start and start < born and "start_date" in self.fields:
            self.add_error("start_date", _("The start date cannot be before the date of birth."))
        return cleaned

    def save(self, commit=True):
        child = super().save(commit=False)
        new_photos = self.cleaned_data.get("photo_upload") or []
        old_files = (child.photo.name, child.photo_thumbnail.name, child.photo_original.name)
        replaced = bool(new_photos) or self.cleaned_data.get("remove_photo")
        if replaced:
            child.photo, child.photo_thumbnail, child.photo_original, child.photo_status = None, None, None, ""
        if new_photos:
            # Stored as uploaded and re-encoded by the worker; a placeholder shows until then.
            store_original(new_photos[0], child.photo_original)
            child.photo_status = PhotoStatus.PENDING
        if child.pk is None:
            child.save()
        else:
            # Only what this form edits: a mentor or last day set meanwhile by someone else stays.
            edited = [name for name in self._meta.fields if name in self.fields]
            child.save(update_fields=[*edited, "photo", "photo_thumbnail", "photo_original", "photo_status", "version"])
        if replaced:
            storage = child.photo.storage
            transaction.on_commit(lambda: [storage.delete(name) for name in old_files if name])
        if new_photos:
            queue_on_commit(process_child_photo, child.pk)
        return child
