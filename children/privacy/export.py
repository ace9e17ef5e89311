"""A family's own data as a ZIP: a readable summary (HTML), everything as JSON, and the photos.

The rows come from `family_data.family_record`, which finds them through the models' relations; this module
only turns rows into values. Secrets (password hashes, tokens, second-factor keys) are left out.
"""

import datetime
import decimal
import json
import os
import tempfile
import uuid
import zipfile

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import models
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _

from ..models import Child
from .family_data import family_record, file_fields, foreign_keys, is_about_children, many_to_many

SECRET_FIELD_NAMES = {"password", "token", "session_key", "submission_token", "secret", "key"}
SECRET_FIELDS = {"mfa.authenticator": {"data"}}
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp"}


def _is_secret(model, field):
    return field.name in SECRET_FIELD_NAMES or field.name in SECRET_FIELDS.get(model._meta.label_lower, set())


class FamilyExport:
    """Everything about `child` and `user` (a parent of the child), ready to be written as a ZIP."""

    def __init__(self, user, child):
        self.user = user
        self.child = child
        self.rows = family_record(user, child)
        self.objects = {}
        for model, pks in self.rows.items():
            queryset = model._base_manager.filter(pk__in=pks).order_by("pk")
            m2m = [f.name for f in many_to_many(model)]
            self.objects[model] = list(queryset.prefetch_related(*m2m) if m2m else queryset)
        self.files = {}  # storage name -> path inside the ZIP
        self._labels = self._load_labels()

    # Labels of the rows a foreign key points at: loaded once per model, not per row.
    def _load_labels(self):
        wanted = {}
        for model, objects in self.objects.items():
            for field in foreign_keys(model):
                ids = {getattr(obj, field.attname) for obj in objects} - {None}
                wanted.setdefault(field.related_model, set()).update(ids)
        labels = {}
        user_model = get_user_model()
        for target, ids in wanted.items():
            if not ids:
                continue
            if is_about_children(target) or target is Child:
                # Only rows that are themselves in the download are named.
                ids &= self.rows.get(target, set())
            found = target._base_manager.in_bulk(ids)
            if target is user_model:
                labels[target] = {pk: self._person(user) for pk, user in found.items()}
            else:
                labels[target] = {pk: str(obj) for pk, obj in found.items()}
        return labels

    def _person(self, user):
        if user.pk == self.user.pk:
            return str(user)
        return user.name or _("someone without a name")

    def _label(self, model, pk):
        return self._labels.get(model, {}).get(pk)

    def _file_path(self, model, obj, name):
        if name not in self.files:
            base = os.path.basename(name)
            self.files[name] = f"files/{model._meta.label_lower}/{obj.pk}-{base}"
        return self.files[name]

    def _fields(self, model):
        return [f for f in model._meta.concrete_fields if not _is_secret(model, f)]

    def _record(self, model, obj):
        """One row as (JSON dict, readable list of (label, text, file path or None))."""
        data, readable = {"pk": obj.pk}, []
        files = set(file_fields(model))
        user_model = get_user_model()
        for field in self._fields(model):
            label = capfirst(str(field.verbose_name))
            if field.is_relation:
                pk = getattr(obj, field.attname)
                name = self._label(field.related_model, pk) if pk is not None else None
                if pk is not None and name is None and field.related_model is not user_model:
                    pk = None  # points at something outside this family's data
                data[field.name] = None if pk is None else {"id": pk, "label": name}
                readable.append((label, name or "–", None))
            elif field.name in files:
                stored = getattr(obj, field.attname) or ""
                stored = getattr(stored, "name", stored)
                path = self._file_path(model, obj, stored) if stored else None
                data[field.name] = path
                readable.append((label, path or "–", path))
            else:
                value = field.value_from_object(obj)
                data[field.name] = _json_value(value)
                readable.append((label, _readable(obj, field, value), None))
        for field in many_to_many(model):
            label = capfirst(str(field.verbose_name))
            related = getattr(obj, field.name).all()
            if field.related_model is Child:
                related = [c for c in related if c.pk == self.child.pk]
            items = [
                {"id": r.pk, "label": self._person(r) if field.related_model is user_model else str(r)} for r in related
            ]
            data[field.name] = items
            readable.append((label, ", ".join(i["label"] for i in items) or "–", None))
        return data, readable

    def sections(self):
        """[(model, [(json, readable), ...]), ...]: the person first, the child second, then by app and model."""
        user_model = get_user_model()
        order = sorted(
            self.objects,
            key=lambda m: (m is not user_model, m is not Child, m._meta.app_label, m._meta.model_name),
        )
        return [(model, [self._record(model, obj) for obj in self.objects[model]]) for model in order]

    def write(self, fileobj):
        sections = self.sections()
        generated_at = timezone.now()
        document = {
            "generated_at": generated_at.isoformat(),
            "about": _("Everything Samenspel holds about %(child)s and about you.") % {"child": self.child},
            "person": self.user.pk,
            "child": self.child.pk,
            "records": {
                model._meta.label_lower: {
                    "name": str(model._meta.verbose_name_plural),
                    "rows": [data for data, _readable in rows],
                }
                for model, rows in sections
            },
        }
        summary = render_to_string(
            "children/privacy/export_summary.html",
            {
                "child": self.child,
                "person": self.user,
                "generated_at": generated_at,
                "sections": [
                    {
                        "name": capfirst(str(model._meta.verbose_name_plural)),
                        "key": model._meta.label_lower,
                        "rows": [
                            [
                                {"label": label, "text": text, "file": path, "image": _is_image(path)}
                                for label, text, path in readable
                            ]
                            for _data, readable in rows
                        ],
                    }
                    for model, rows in sections
                ],
            },
        )
        with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("summary.html", summary)
            archive.writestr("data.json", json.dumps(document, ensure_ascii=False, indent=2))
            for stored, path in sorted(self.files.items()):
                try:
                    with default_storage.open(stored, "rb") as source:
                        archive.writestr(path, source.read())
                except FileNotFoundError:
                    archive.writestr(f"{path}.missing.txt", _("This file could not be found any more."))
        return fileobj

    def filename(self):
        today = timezone.localdate().isoformat()
        return f"samenspel-{slugify(self.child.first_name) or 'child'}-{today}.zip"

    def as_temporary_file(self):
        fileobj = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115 - returned open
        self.write(fileobj)
        fileobj.seek(0)
        return fileobj


def _is_image(path):
    return bool(path) and os.path.splitext(path)[1].lower() in IMAGE_EXTENSIONS


def _json_value(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID | datetime.timedelta):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


def _readable(obj, field, value):
    if value is None or value == "":
        return "–"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
