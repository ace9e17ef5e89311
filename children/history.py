"""The visible history of a child's profile: who changed what, and when (from django-simple-history)."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import Child, Group

TRACKED_FIELDS = [
    "first_name",
    "last_name",
    "date_of_birth",
    "group",
    "start_date",
    "end_date",
    "photo",
    "photo_consent",
    "group_photo_consent",
    "mentor",
    *Child.PROFILE_FIELDS,
]
EDITABLE_FIELDS = [name for name in TRACKED_FIELDS if name != "photo"]
LONG_FIELDS = {"routines", "sleeping", "eating", "comfort_items", "likes", "good_to_know"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    long: bool = False


@dataclass
class ProfileChange:
    user: object
    at: object
    created: bool = False
    changes: list = field(default_factory=list)


def _file_name(value):
    return str(getattr(value, "name", value) or "")


def _display(name, value, groups, mentors):
    if name == "photo":
        return _("a photo") if value else _("no photo")
    if value in (None, ""):
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "group":
        return groups.get(value, "–")
    if name == "mentor":
        return mentors.get(value, "–")
    if hasattr(value, "year"):
        return date_format(value)
    return str(value)


def profile_changes(history, records):
    """Turn one page of history records (newest first) into readable changes.

    Each record is compared with the one before it; the record just before the page costs one query, and the
    group names one more, whatever the page size.
    """
    if not records:
        return []
    last = records[-1]
    before = history.filter(
        Q(history_date__lt=last.history_date) | Q(history_date=last.history_date, history_id__lt=last.history_id)
    ).first()
    pairs = list(zip(records, [*records[1:], before], strict=True))
    group_ids = {r.group_id for r in records if r.group_id} | ({before.group_id} if before else set())
    groups = {g.pk: g.name for g in Group.objects.filter(pk__in=group_ids)}
    mentor_ids = {r.mentor_id for r in records if r.mentor_id} | (
        {before.mentor_id} if before and before.mentor_id else set()
    )
    mentors = {u.pk: str(u) for u in get_user_model().objects.filter(pk__in=mentor_ids)} if mentor_ids else {}
    labels = {name: Child._meta.get_field(name).verbose_name for name in TRACKED_FIELDS}
    result = []
    for record, previous in pairs:
        entry = ProfileChange(user=record.history_user, at=record.history_date)
        if previous is None or record.history_type == "+":
            entry.created = True
            result.append(entry)
            continue
        delta = record.diff_against(previous, included_fields=EDITABLE_FIELDS)
        changed = {change.field: (change.old, change.new) for change in delta.changes}
        if _file_name(record.photo) != _file_name(previous.photo):  # not editable: diff_against leaves it out
            changed["photo"] = (_file_name(previous.photo), _file_name(record.photo))
        for name in TRACKED_FIELDS:
            if name in changed:
                old, new = changed[name]
                entry.changes.append(
                    FieldChange(
                        label=labels[name],
                        old=_display(name, old, groups, mentors),
                        new=_display(name, new, groups, mentors),
                        long=name in LONG_FIELDS,
                    )
                )
        if entry.changes:
            result.append(entry)
    return result
