"""A world to attack: the demo data of every app, more people, objects nobody may see, and canaries.

- Every table's ids start at their own offset, so an id names exactly one object in the whole database: a
  view that fetches the wrong model by id finds nothing instead of a look-alike.
- `seed_demo` fills two centres with what each app shows (observations, events, bookings, ...), and the
  factories of each app (`tests/<app>/factories.py`) add one object of each model in a centre of its own
  that none of the people below belongs to.
- Every scoped object carries a canary `qz<id>zq` in its text fields; a page that shows a canary to someone
  outside the object's scope leaks it, whatever the page is.
"""

import hashlib
import importlib
import inspect
import pkgutil
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection, models

from children.models import Child, Group, Membership
from tests.factories import GuardianshipFactory, MembershipFactory, UserFactory

PROJECT_APPS = ("accounts", "children", "partnership", "trainings")
CANARY = re.compile(r"qz(\d+)zq", re.IGNORECASE)
SECRET_FIELD_NAMES = re.compile(r"(token|secret|key|code|slug|hash|password|url|path|email|phone|ip)", re.I)


def canary(pk):
    return f"qz{pk}zq"


def project_models(include_auto_created=True):
    return [m for m in apps.get_models(include_auto_created=include_auto_created) if m._meta.app_label in PROJECT_APPS]


def scoped_models():
    """Models with a scope of their own, then models scoped through a foreign key to one of those."""
    own = [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS and scope_method(m)]
    derived = [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS and m not in own and scope_parent(m)]
    return own + derived


def scope_parent(model):
    """The first foreign key of `model` to a model with its own scope (an IntakeNote's request)."""
    if scope_method(model):
        return None
    for f in model._meta.concrete_fields:
        if f.is_relation and f.many_to_one and scope_method(f.related_model):
            return f
    return None


def scope_method(model):
    """The model's own scoping queryset method, if it has one."""
    manager = model._default_manager
    for name in ("visible_to", "for_user"):
        if callable(getattr(manager, name, None)):
            return name
    return None


def extra_readers(model, user):
    """Who may read an object besides the model's own scope: the readers the product design names.

    Learning-wish forms are filled in by their participant (their scope) and read by the booking's trainer
    and managers (DESIGN: bookings and learning wishes: own organisation, trainers all).
    """
    if model._meta.label == "trainings.Participant":
        booking = apps.get_model("trainings", "Booking")
        return model._default_manager.filter(booking__in=booking._default_manager.visible_to(user))
    return model._default_manager.none()


def visible_ids(model, user):
    manager = model._default_manager
    if model not in scoped_models():  # no scope: public, or guarded by role rather than by scope
        return set(manager.values_list("pk", flat=True))
    if not user.is_authenticated:
        return set()
    parent = scope_parent(model)
    if parent is not None:
        return set(
            manager.filter(**{f"{parent.name}__in": visible_ids(parent.related_model, user)}).values_list(
                "pk", flat=True
            )
        )
    own = getattr(manager, scope_method(model))(user)
    return set(own.values_list("pk", flat=True)) | set(extra_readers(model, user).values_list("pk", flat=True))


def spread_ids():
    """Give every project table its own id range, so an id is unique across the database."""
    with connection.cursor() as cursor:
        for index, model in enumerate(sorted(project_models(), key=lambda m: m._meta.db_table), start=1):
            pk = model._meta.pk
            if not isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
                continue
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, pk.column])
            (sequence,) = cursor.fetchone()
            if sequence:
                cursor.execute(
                    "SELECT setval(%s, GREATEST(%s, COALESCE(pg_sequence_last_value(%s::regclass), 0)))",
                    [sequence, index * 1_000_000, sequence],
                )


def app_factories():
    """Every factory-boy factory under tests/<app>/factories.py, by model."""
    import tests

    found = {}
    for module_info in pkgutil.walk_packages(tests.__path__, "tests."):
        if not module_info.name.endswith(".factories"):
            continue
        module = importlib.import_module(module_info.name)
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            meta = getattr(obj, "_meta", None)
            model = getattr(meta, "model", None)
            ours = obj.__module__ == module.__name__ and isinstance(model, type)
            if ours and issubclass(model, models.Model) and not getattr(meta, "abstract", False):
                found.setdefault(model, obj)
    return found


@dataclass
class World:
    people: dict
    objects: dict = field(default_factory=dict)  # pk -> instance, over all scoped models
    visible: dict = field(default_factory=dict)  # (person, model) -> set of pks
    files: dict = field(default_factory=dict)  # sha256 of a stored file -> (model, pk)
    notes: list = field(default_factory=list)

    def model_of(self, pk):
        obj = self.objects.get(pk)
        return type(obj) if obj is not None else None

    def can_see(self, person, obj):
        return obj.pk in self.visible[(person, type(obj))]

    def foreign(self, person, model):
        """Objects of `model` outside the person's scope, the nearest first: the demo's other family or
        other centre (created first) before the strangers the factories made."""
        seen = self.visible[(person, model)]
        return sorted(pk for pk, obj in self.objects.items() if type(obj) is model and pk not in seen)

    def seen_by(self, person, model):
        return sorted(self.visible[(person, model)])


def build_world():
    spread_ids()
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    from accounts.models import User

    by_email = {u.email: u for u in User.objects.filter(email__endswith="@example.org")}
    groups = {g.name: g for g in Group.objects.select_related("centre")}
    anker = groups["Egeltjes"].centre
    mila = Child.objects.get(first_name="Mila")
    ouder_buur = UserFactory(email="buur@example.org", name="Bram Bakker")
    GuardianshipFactory(user=ouder_buur, child=mila)
    vlinders = UserFactory(email="vlinders@example.org", name="Sara Koster")
    MembershipFactory(
        user=vlinders, centre=groups["Vlinders"].centre, role=Membership.Role.STAFF, groups=[groups["Vlinders"]]
    )
    manager2 = UserFactory(email="manager2@example.org", name="Ellen Smit")
    MembershipFactory(user=manager2, centre=anker, role=Membership.Role.MANAGER)
    nobody = UserFactory(email="niemand@example.org", name="Nina Nobody")

    people = {
        "anonymous": AnonymousUser(),
        "ouder": by_email["ouder@example.org"],
        "ouder_buur": ouder_buur,
        "medewerker": by_email["medewerker@example.org"],
        "medewerker_vlinders": vlinders,
        "manager": by_email["manager@example.org"],
        "ouder_elders": by_email["ouder2@example.org"],
        "medewerker_elders": by_email["medewerker2@example.org"],
        "manager_elders": manager2,
        "trainer": by_email["trainer@example.org"],
        "niemand": nobody,
    }
    world = World(people=people)

    # One object per factory, in a centre and organisation of its own: nobody above may see it.
    for factory in app_factories().values():
        try:
            factory()
        except Exception as error:  # a factory that needs arguments is simply not used here
            world.notes.append(f"factory {factory.__name__} needs arguments: {error!r}"[:200])

    for model in project_models(include_auto_created=False):
        for obj in model._default_manager.all():
            world.objects[obj.pk] = obj
        for name, person in people.items():
            world.visible[(name, model)] = visible_ids(model, person)
    plant_canaries(world)
    remember_files(world)
    return world


def canary_fields(model):
    for f in model._meta.concrete_fields:
        if type(f) not in (models.CharField, models.TextField):
            continue
        if f.choices or f.unique or not f.editable or f.primary_key or SECRET_FIELD_NAMES.search(f.name):
            continue
        if f.max_length is not None and f.max_length < 24:
            continue
        yield f


# Names of centres and groups are public facts (they are on the door), not data about a child or a person:
# they are swept as URL arguments, but carry no canary.
NO_CANARY = {"children.Centre", "children.Group"}


def plant_canaries(world):
    for model in scoped_models():
        if model._meta.label in NO_CANARY:
            continue
        fields = list(canary_fields(model))
        if not fields:
            continue
        for obj in model._default_manager.all():
            changes = {}
            for f in fields:
                value = getattr(obj, f.attname) or ""
                marked = f"{canary(obj.pk)} {value}"
                changes[f.attname] = marked[: f.max_length] if f.max_length else marked
            model._default_manager.filter(pk=obj.pk).update(**changes)
            for name, value in changes.items():
                setattr(obj, name, value)
            world.objects[obj.pk] = obj


def remember_files(world):
    for obj in list(world.objects.values()):
        for f in obj._meta.concrete_fields:
            if isinstance(f, models.FileField):
                stored = getattr(obj, f.attname)
                if stored and stored.storage.exists(stored.name):
                    with stored.storage.open(stored.name, "rb") as handle:
                        world.files[hashlib.sha256(handle.read()).hexdigest()] = obj
