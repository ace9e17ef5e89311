"""Fill every model that refers to a child or a person with rows, without knowing the models in advance.

Used by the download and retention tests, so they stay complete as models are added: for each model with a
foreign key (or many-to-many) to `Child` or the user model, one row is made per "family" (its child and its
person), and under each such row one row of every model that hangs under it (CASCADE), recursively. Text fields
carry a canary naming the family, so a leak shows up as text in the download.
"""

import datetime
import decimal
import itertools
import uuid
from dataclasses import dataclass, field
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from PIL import Image

from children.models import Centre, Child, Group, Organisation
from children.privacy.family_data import data_models, foreign_keys, is_historical, many_to_many

_counter = itertools.count(1)
MAX_DEPTH = 4


def jpeg_bytes(color=(30, 120, 200)):
    buffer = BytesIO()
    Image.new("RGB", (8, 8), color).save(buffer, format="JPEG")
    return buffer.getvalue()


@dataclass
class Family:
    """Who a family's rows point at, and the rows made for it: {model: {pk}}; files: {storage name: bytes}."""

    tag: str
    child: Child
    person: object
    rows: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)
    failures: dict = field(default_factory=dict)
    helpers: dict = field(default_factory=dict)  # rows made only because a row above needed them

    def add(self, obj):
        self.rows.setdefault(type(obj), set()).add(obj.pk)

    def labels(self):
        return {(m._meta.label_lower, pk) for m, pks in self.rows.items() for pk in pks}

    def canary(self):
        return f"canary-{self.tag}"


def refers_to_family(model):
    user_model = get_user_model()
    return any(f.related_model in (Child, user_model) for f in [*foreign_keys(model), *many_to_many(model)])


def family_models():
    return [m for m in data_models() if refers_to_family(m) and m not in (Child, get_user_model())]


def _value(model, f, family):
    n = next(_counter)
    if f.choices:
        return f.choices[0][0] if not isinstance(f.choices[0][1], list | tuple) else f.choices[0][1][0][0]
    if isinstance(f, models.EmailField):
        return f"{family.tag}{n}@example.org"
    if isinstance(f, models.SlugField):
        return f"{family.tag}-{n}"
    if isinstance(f, models.URLField):
        return "https://example.org/"
    if isinstance(f, models.GenericIPAddressField):
        return "127.0.0.1"
    if isinstance(f, models.CharField | models.TextField):
        text = f"{family.canary()} {model._meta.model_name}.{f.name} {n}"
        return text[: f.max_length] if f.max_length else text
    if isinstance(f, models.BooleanField):
        return False
    if isinstance(f, models.DecimalField):
        return decimal.Decimal("1")
    if isinstance(f, models.IntegerField | models.FloatField):
        return 1
    if isinstance(f, models.DateTimeField):
        return timezone.now()
    if isinstance(f, models.DateField):
        return timezone.localdate()
    if isinstance(f, models.TimeField):
        return datetime.time(10, 0)
    if isinstance(f, models.DurationField):
        return datetime.timedelta(hours=1)
    if isinstance(f, models.UUIDField):
        return uuid.uuid4()
    if isinstance(f, models.JSONField):
        return {}
    raise NotImplementedError(f"{model._meta.label}.{f.name}")


def build(model, family, fixed=None, depth=0, helper=False):
    """Make one row of `model` for `family`; foreign keys point at the family, at its centre, or at new rows."""
    user_model = get_user_model()
    values = dict(fixed or {})
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name in values or getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            continue
        if f.is_relation:
            target = f.related_model
            if target is Child:
                values[f.name] = family.child
            elif target is user_model:
                values[f.name] = family.person
            elif target is Group:
                values[f.name] = family.child.group
            elif target is Centre:
                values[f.name] = family.child.group.centre
            elif target is Organisation:
                values[f.name] = family.child.group.centre.organisation
            elif not f.null and depth < MAX_DEPTH:
                existing = family.rows.get(target) or family.helpers.get(target)
                if existing:
                    values[f.name] = target._base_manager.get(pk=min(existing))
                else:
                    values[f.name] = build(target, family, depth=depth + 1, helper=True)
            continue
        if isinstance(f, models.FileField):
            data = jpeg_bytes()
            values[f.name] = ContentFile(data, name=f"{family.tag}.jpg")
            continue
        is_text = isinstance(f, models.CharField | models.TextField) and not f.choices and f.editable
        if f.has_default() and not is_text:
            continue
        if (f.null or f.blank) and not is_text:
            continue
        values[f.name] = _value(model, f, family)
    with transaction.atomic():
        obj = model(**values)
        obj.save()
    for f in many_to_many(model):
        if f.related_model is Child:
            getattr(obj, f.name).add(family.child)
        elif f.related_model is user_model:
            getattr(obj, f.name).add(family.person)
    if helper:
        family.helpers.setdefault(model, set()).add(obj.pk)
    else:
        family.add(obj)
    for f in model._meta.concrete_fields:
        if isinstance(f, models.FileField):
            name = getattr(obj, f.attname)
            name = getattr(name, "name", name)
            if name:
                family.files[name] = obj
    return obj


def fill(family, models_to_fill=None):
    """One row per model that refers to a child or a person, then the rows under them (CASCADE)."""
    for model in models_to_fill or family_models():
        if is_historical(model):
            continue  # written by the rows' own saves
        try:
            build(model, family)
        except (IntegrityError, NotImplementedError, ValueError) as error:
            family.failures[model._meta.label] = repr(error)
    grown = True
    done = set()
    while grown:
        grown = False
        for model in data_models():
            if is_historical(model):
                continue
            for f in foreign_keys(model):
                if f.remote_field.on_delete is not models.CASCADE or f.related_model in (Child, get_user_model()):
                    continue
                for parent_pk in list(family.rows.get(f.related_model, ())):
                    key = (model, f.name, parent_pk)
                    if key in done:
                        continue
                    done.add(key)
                    try:
                        parent = f.related_model._base_manager.get(pk=parent_pk)
                        build(model, family, fixed={f.name: parent})
                        grown = True
                    except (IntegrityError, NotImplementedError, ValueError) as error:
                        family.failures.setdefault(model._meta.label, repr(error))
    return family


def history_labels(family):
    """(historical model, pk) of the history rows of a family's rows."""
    labels = set()
    for model in data_models():
        if is_historical(model) and family.rows.get(model.instance_type):
            for pk in model._base_manager.filter(id__in=family.rows[model.instance_type]).values_list("pk", flat=True):
                labels.add((model._meta.label_lower, pk))
    return labels
