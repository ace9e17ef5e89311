"""Optimistic concurrency for edits of shared data.

A row that several people edit (a child's "about me", an agreement, an event, a booking, ...) has a `version`
integer. An edit form carries the version it was based on in a hidden field. Saving first moves the row from that
version to the next with one conditional UPDATE, in the same transaction as the save itself: the UPDATE takes the
row lock, so of two saves based on the same version exactly one wins, and the other (which waited for the lock)
finds the version moved and is refused. Nothing is overwritten; the refused form keeps what was typed and shows
what is saved now next to it.
"""

from django import forms
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .text import SingleLineTextMixin


def version_field():
    """The `version` column of a model with shared edits: bumped by every save through `claim_version`."""
    return models.PositiveIntegerField(_("version"), default=1, editable=False)


class VersionConflict(Exception):
    """Someone else saved the row since the version the person based their edit on."""

    def __init__(self, current):
        super().__init__(f"{current._meta.label} {current.pk} changed meanwhile (now version {current.version})")
        self.current = current


def claim_version(instance, version):
    """Move `instance` from `version` to the next version, or raise VersionConflict with the row as it is now.

    Call it inside the transaction that then saves `instance` (see `save_versioned`).
    """
    model = type(instance)
    moved = model._base_manager.filter(pk=instance.pk, version=version).update(version=F("version") + 1)
    if not moved:
        raise VersionConflict(model._base_manager.get(pk=instance.pk))
    instance.version = version + 1


def save_versioned(instance, version, save=None):
    """Claim the version and save in one transaction; `save` defaults to `instance.save`. Returns its result."""
    with transaction.atomic():
        claim_version(instance, version)
        return (save or instance.save)()


def last_editor(instance):
    """Who saved the row last, as far as the model records it (its history, or an `updated_by`)."""
    history = getattr(instance, "history", None)
    if history is not None:
        record = history.order_by("-history_date", "-history_id").select_related("history_user").first()
        if record is not None and record.history_user is not None:
            return record.history_user
    return getattr(instance, "updated_by", None)


def _shown(instance, name):
    """A field's value as a person reads it: the label of a choice, the name of a related object."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(str(obj) for obj in getattr(instance, name).all())
    if field.choices:
        return str(getattr(instance, f"get_{name}_display")())
    value = getattr(instance, name)
    if value is None or value == "":
        return str(_("(empty)"))
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if hasattr(value, "year") and not hasattr(value, "hour"):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def _same(form, name, current):
    """Whether what the person sent for `name` equals what is saved now in `current`."""
    field = current._meta.get_field(name)
    posted = form.cleaned_data[name] if name in form.cleaned_data else form.fields[name].clean(form[name].value())
    if field.many_to_many:
        return {obj.pk for obj in posted or []} == set(getattr(current, name).values_list("pk", flat=True))
    value = field.value_from_object(current)
    if field.is_relation:
        posted = getattr(posted, "pk", posted)
    if isinstance(posted, str) and isinstance(value, str):
        return posted.strip() == value.strip()
    return posted == value


class VersionField(forms.IntegerField):
    """The hidden version: bookkeeping, never a change of its own (`has_changed`, `changed_data`)."""

    def has_changed(self, initial, data):
        return False


class VersionedFormMixin(SingleLineTextMixin):
    """A ModelForm that edits shared data: carries the row's version, and refuses a save on a stale one.

    Views save through `save_unless_stale()`, which answers False (and fills the form's errors) when someone else
    saved first; the form then re-renders with the person's own text and, next to each field that differs, the
    text that is saved now. Its hidden version moves on to the current one, so saving again is a deliberate choice.
    """

    version_field_name = "version"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        # The row as this request read it, to tell the fields this request changes from the ones it does not.
        self._loaded = {f.attname: f.value_from_object(self.instance) for f in self.instance._meta.concrete_fields}
        if self.instance.pk is not None:
            # Browsers always send it; a hand-made request without it is based on the row as this request read it.
            self.fields[self.version_field_name] = VersionField(
                widget=forms.HiddenInput,
                required=False,
                min_value=0,
                max_value=2**31 - 1,
                initial=self.instance.version,
                error_messages={
                    "invalid": _("This form is incomplete. Open the page again and redo your change."),
                    "min_value": _("This form is incomplete. Open the page again and redo your change."),
                    "max_value": _("This form is incomplete. Open the page again and redo your change."),
                },
            )

    @property
    def based_on_version(self):
        version = self.cleaned_data.get(self.version_field_name)
        return self.instance.version if version is None else version

    def clean(self):
        cleaned = super().clean()
        version = cleaned.get(self.version_field_name)
        if self.instance.pk is not None and version is not None and version != self.instance.version:
            # The row loaded for this request is already newer than the page the person edited.
            self.refuse(type(self.instance)._base_manager.get(pk=self.instance.pk))
        return cleaned

    def save_unless_stale(self, save=None):
        """Save (through `save`, default `self.save()`) unless someone saved first; True when saved."""
        if self.instance.pk is None:
            (save or self.save)()
            return True
        try:
            with transaction.atomic():
                claim_version(self.instance, self.based_on_version)
                self._take_over_fields_saved_by_others()
                (save or self.save)()
        except VersionConflict as conflict:
            self.refuse(conflict.current)
            return False
        return True

    def _other_fields(self):
        """The row's fields this form does not edit (nor the key and the version)."""
        return [
            f
            for f in self.instance._meta.concrete_fields
            if not f.primary_key and f.name != self.version_field_name and f.name not in self.fields
        ]

    def _take_over_fields_saved_by_others(self):
        """Fields outside the form that this request left alone take the row's current values (read under the
        lock the claim holds), so saving the instance never writes back an older value of them: a 'seen' mark,
        a mentor or a last day set meanwhile by someone else stays."""
        untouched = [
            f.attname for f in self._other_fields() if f.value_from_object(self.instance) == self._loaded[f.attname]
        ]
        if untouched:
            current = type(self.instance)._base_manager.filter(pk=self.instance.pk).values(*untouched).get()
            for attname, value in current.items():
                setattr(self.instance, attname, value)

    def refuse(self, current):
        """Show that `current` (the row as saved now) differs from what the person based their edit on."""
        self.conflict = current
        editor = last_editor(current)
        when = getattr(current, "updated_at", None) or getattr(current, "edited_at", None)
        if editor is not None and when is not None:
            message = _(
                "%(person)s saved a change at %(time)s, while you were editing. Nothing of yours has been saved yet: "
                "your text is still in the form, and with each field that differs you see what is saved now. "
                "Check it, then save again."
            ) % {"person": editor, "time": date_format(timezone.localtime(when), "H:i")}
        elif editor is not None:
            message = _(
                "%(person)s saved a change while you were editing. Nothing of yours has been saved yet: your text "
                "is still in the form, and with each field that differs you see what is saved now. "
                "Check it, then save again."
            ) % {"person": editor}
        else:
            message = _(
                "Someone else saved a change while you were editing. Nothing of yours has been saved yet: your text "
                "is still in the form, and with each field that differs you see what is saved now. "
                "Check it, then save again."
            )
        model_fields = {f.name for f in current._meta.get_fields() if getattr(f, "concrete", False)}
        for name in list(self.fields):
            if name in model_fields and name in self.fields and not self._same_as(name, current):
                self.add_error(name, _("Saved now: %(value)s") % {"value": _shown(current, name)})
        self.add_error(None, forms.ValidationError(message, code="stale_version"))
        # The next save is based on what the person has now seen.
        data = self.data.copy()
        data[self.add_prefix(self.version_field_name)] = str(current.version)
        self.data = data

    def _same_as(self, name, current):
        try:
            return _same(self, name, current)
        except (forms.ValidationError, AttributeError, ValueError, TypeError):
            return False


class NewVersionOnAdminSaveMixin:
    """For the admin of a model with shared edits: a change made there starts a new version, so a form someone
    opened in the portal before it is refused instead of silently writing over the change."""

    def save_model(self, request, obj, form, change):
        if change:
            model = type(obj)
            model._base_manager.filter(pk=obj.pk).update(version=F("version") + 1)
            obj.version = model._base_manager.values_list("version", flat=True).get(pk=obj.pk)
        super().save_model(request, obj, form, change)
