"""What the portal holds about a child and about a person, found by walking the models' relations.

No model of another app is named here. Every model with a foreign key or many-to-many to `Child` or to the
user model is found through `_meta`, and so are the rows hanging under those rows (a reply under an observation,
a photo under it, the history of each), so the download and the deletion stay complete as models are added.

Two rules keep one family's data apart from another's:
- a row that leads (through its foreign keys) to a child is only included when that child is the one asked for,
  so a sibling's observations stay out of the other child's download, even though the parent is the same;
- starting from the person, rows are followed down only where they die with the person (CASCADE) and belong
  to nobody else, so an event they created never drags other families' answers along.
"""

from collections import defaultdict
from functools import cache

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q

from ..models import Child

MAX_PATH_DEPTH = 4


def is_historical(model):
    """A django-simple-history model: a copy of another model's rows, keyed by the original `id`."""
    return getattr(model, "instance_type", None) is not None and "history_id" in {
        f.name for f in model._meta.concrete_fields
    }


@cache
def data_models():
    """Every concrete model, without the hidden tables of many-to-many fields (their owner stands for them)."""
    return [m for m in apps.get_models() if not m._meta.auto_created and not m._meta.proxy]


def foreign_keys(model):
    return [f for f in model._meta.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)]


def many_to_many(model):
    return [f for f in model._meta.many_to_many if f.concrete]


def file_fields(model):
    """File fields of a model; for a historical model, the fields that were files on the original."""
    source = model.instance_type if is_historical(model) else model
    names = [f.name for f in source._meta.concrete_fields if isinstance(f, models.FileField)]
    return [name for name in names if any(f.name == name for f in model._meta.concrete_fields)]


@cache
def child_paths(model):
    """Lookups from `model` to the child its rows are about, e.g. ('child',) or ('observation__child',)."""
    if model is Child:
        return ("pk",)
    if is_historical(model) and model.instance_type is Child:
        return ("id",)
    user_model = get_user_model()
    paths = []

    def walk(current, prefix, seen, depth):
        for field in foreign_keys(current):
            target = field.related_model
            lookup = f"{prefix}{field.name}"
            if target is Child:
                paths.append(lookup)
            elif target is not user_model and target not in seen and depth < MAX_PATH_DEPTH:
                walk(target, f"{lookup}__", seen | {target}, depth + 1)

    walk(model, "", {model}, 1)
    return tuple(paths)


def is_about_children(model):
    """Rows of this model belong to a child's record (an observation, a consent change, an access log entry)."""
    return bool(child_paths(model))


def only_these_children(model, child_ids):
    """A filter keeping the rows of `model` that lead to no child but those in `child_ids`."""
    condition = Q()
    for path in child_paths(model):
        condition &= Q(**{f"{path}__in": child_ids}) | Q(**{f"{path}__isnull": True})
    return condition


def _owned_by_cascade(field):
    return field.remote_field.on_delete in (models.CASCADE, models.DO_NOTHING)


def _grow(rows, start_condition, follow, extra_filter=None):
    """Add to `rows` the rows of every model matching `start_condition`, then the rows under them, to a fixpoint.

    `start_condition(model)` gives a Q for the rows a model holds directly (or None); `follow(field)` says
    whether rows under an already found row are followed along that foreign key.
    """
    changed = True
    while changed:
        changed = False
        for model in data_models():
            if model in (Child, get_user_model()):
                continue
            condition = start_condition(model) or Q(pk__in=[])
            for field in foreign_keys(model):
                found = rows.get(field.related_model)
                if found and field.related_model not in (Child, get_user_model()) and follow(field):
                    condition |= Q(**{f"{field.name}__in": found})
            if is_historical(model) and rows.get(model.instance_type):
                condition |= Q(id__in=rows[model.instance_type])
            queryset = model._base_manager.filter(condition)
            if extra_filter is not None:
                queryset = queryset.filter(extra_filter(model))
            pks = set(queryset.values_list("pk", flat=True))
            if not pks <= rows[model]:
                rows[model] |= pks
                changed = True
    return rows


def child_record(child_ids, include_shared=True):
    """Every row that belongs to these children: {model: {pk, ...}}.

    Rows with a foreign key to the child, and the rows that live under those (followed along CASCADE keys).
    `include_shared` adds rows that merely list the child in a many-to-many (for the download, not deletion).
    """
    child_ids = set(child_ids)

    def start(model):
        condition = Q()
        for field in foreign_keys(model):
            if field.related_model is Child:
                condition |= Q(**{f"{field.name}__in": child_ids})
        # A row that lists the child in a many-to-many goes with it when the model says so (a group photo the
        # child is in); otherwise it belongs to others too and is only downloaded.
        if include_shared or getattr(model, "deleted_with_marked_child", False):
            for field in many_to_many(model):
                if field.related_model is Child:
                    condition |= Q(**{f"{field.name}__in": child_ids})
        return condition or None

    rows = defaultdict(set)
    rows[Child] = set(child_ids)
    return _grow(rows, start, _owned_by_cascade)


def person_record(user):
    """Every row about the person: rows pointing at them, and what lives under those and dies with them.

    Rows under a found row are left out when they are owned (CASCADE) by someone else, e.g. another
    parent's answer to an event this person created.
    """
    user_model = get_user_model()

    def start(model):
        condition = Q()
        for field in [*foreign_keys(model), *many_to_many(model)]:
            if field.related_model is user_model:
                condition |= Q(**{field.name: user.pk})
        return condition or None

    def not_someone_elses(model):
        owned_by_them = Q()
        for field in foreign_keys(model):
            if field.related_model is user_model and field.remote_field.on_delete is models.CASCADE:
                owned_by_them &= Q(**{field.name: user.pk}) | Q(**{f"{field.name}__isnull": True})
        if not owned_by_them:
            return Q()
        direct = start(model)
        return owned_by_them | direct if direct else owned_by_them

    rows = defaultdict(set)
    rows[user_model] = {user.pk}
    return _grow(rows, start, lambda field: field.remote_field.on_delete is models.CASCADE, not_someone_elses)


def family_record(user, child):
    """What a parent may download about one child and themselves, with nothing of any other child."""
    rows = child_record([child.pk])
    for model, pks in person_record(user).items():
        rows[model] |= pks
    allowed = {child.pk}
    kept = {}
    for model, pks in rows.items():
        if not pks:
            continue
        if model is Child:
            kept[model] = allowed & pks
            continue
        condition = only_these_children(model, allowed)
        rows_kept = model._base_manager.filter(condition, pk__in=pks)
        # A row that lists children (a group moment) only when it lists this child, or no child at all.
        for field in many_to_many(model):
            if field.related_model is Child:
                others = model._base_manager.filter(**{f"{field.name}__isnull": False}).exclude(
                    **{f"{field.name}__in": allowed}
                )
                rows_kept = rows_kept.exclude(pk__in=others.values("pk"))
        # A model may narrow what a family downloads of its rows (a group photo with another child without consent).
        narrow = getattr(model._default_manager, "for_family_download", None)
        if narrow is not None:
            rows_kept = rows_kept.filter(pk__in=narrow(allowed).values("pk"))
        kept[model] = set(rows_kept.values_list("pk", flat=True))
    return {model: pks for model, pks in kept.items() if pks}
