"""A world to attack: the demo data of every app, more people, objects nobody may see, and canaries.

- Every table's ids start at their own offset, so an id names exactly one object in the whole database: a
  view that fetches the wrong model by id finds nothing instead of a look-alike.
- `seed_demo` fills two centres with what each app shows. Three families (Sam's and Mila's in one group,
  Finn's at the other centre) then get one object from every factory of the apps (`tests/<app>/*factories.py`),
  once as the parent and once as the group's staff with every yes/no field on (a reply that is a tip);
  models without a factory are filled from their fields. Each factory also makes one object in a centre of
  its own that none of the people belongs to.
- Every scoped object carries a canary `qz<id>zq` in its text fields; a page that shows a canary to someone
  outside the object's scope leaks it, whatever the page is.
- Who may see what comes from each model's own scope (`visible_to`), bounded by the design's table (`Design`).
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
from django.db import connection, models, transaction

from children.models import Centre, Child, Group, Guardianship, Membership, Organisation
from tests.factories import GuardianshipFactory, MembershipFactory, UserFactory

PROJECT_APPS = ("accounts", "children", "notifications", "partnership", "trainings")
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
    and managers (DESIGN: bookings and learning wishes: own organisation, trainers all). A participant
    sees the dates of the sessions of their training. A parent asked to help at an event sees that event.
    """
    booking = apps.get_model("trainings", "Booking")
    participant = apps.get_model("trainings", "Participant")
    if model is participant:
        return model._default_manager.filter(booking__in=booking._default_manager.visible_to(user))
    if model._meta.label == "partnership.Event":
        # A parent asked to help at an event reads which event it is, invited or not.
        help_requests = apps.get_model("partnership", "HelpRequest")._default_manager.visible_to(user)
        return model._default_manager.filter(pk__in=help_requests.values("event"))
    if model._meta.label == "trainings.TrainingSession":
        invited = participant._default_manager.visible_to(user).values("booking")
        return model._default_manager.filter(booking__in=invited)
    return model._default_manager.none()


def visible_ids(model, user):
    manager = model._default_manager
    if model not in scoped_models():  # no scope: public, or guarded by role rather than by scope
        return set(manager.values_list("pk", flat=True))
    if not user.is_authenticated:
        return set()
    extra = set(extra_readers(model, user).values_list("pk", flat=True))
    parent = scope_parent(model)
    if parent is not None:
        parents = visible_ids(parent.related_model, user)
        return set(manager.filter(**{f"{parent.name}__in": parents}).values_list("pk", flat=True)) | extra
    own = getattr(manager, scope_method(model))(user)
    return set(own.values_list("pk", flat=True)) | extra


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
    """Every factory-boy factory in the apps' test factory modules (tests/<app>/*factories.py), by model."""
    import tests

    found = {}
    for module_info in pkgutil.walk_packages(tests.__path__, "tests."):
        if not module_info.name.endswith("factories") or module_info.name.startswith("tests.sweep"):
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
    files: dict = field(default_factory=dict)  # sha256 of a stored file -> the objects that hold it
    notes: list = field(default_factory=list)
    autofilled: set = field(default_factory=set)

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

    factories = app_factories()
    # Each family gets one object of every model with a factory, whatever the demo data has.
    families = [
        ("Sam", "ouder", "medewerker"),
        ("Mila", "ouder_buur", "medewerker"),
        ("Finn", "ouder_elders", "medewerker_elders"),
    ]
    # Found before any factory runs: a factory's random child may share a first name with a demo child.
    families = [(Child.objects.select_related("group__centre").get(first_name=c), p, s) for c, p, s in families]
    for child, parent, staff in families:
        attach_factories(factories, child, people[parent], world)
        attach_factories(factories, child, people[staff], world, flags=True)
        autofill(child, people[parent], world)
    # One object per factory, in a centre and organisation of its own: nobody above may see it.
    for factory in factories.values():
        try:
            factory()
        except Exception as error:  # a factory that needs arguments is simply not used here
            world.notes.append(f"factory {factory.__name__} needs arguments: {error!r}"[:200])

    give_files(world)
    for model in project_models(include_auto_created=False):
        for obj in model._default_manager.all():
            world.objects[obj.pk] = obj
        for name, person in people.items():
            world.visible[(name, model)] = visible_ids(model, person)
    plant_canaries(world)
    remember_files(world)
    return world


def attach_factories(factories, child, person, world, flags=False):
    """Make one object per factory that belongs to this child's family: foreign keys to a child, group, centre,
    organisation or person point at this family (and at `person`), and to another factory's model at the one
    made here. With `flags`, every yes/no field of the objects is switched on (a reply that is a tip)."""
    made = family_relations(child, person)
    # Who is parent or staff where is the world's own choice: no factory adds roles.
    pending = [model for model in factories if model not in made and model not in (Guardianship, Membership)]
    for _round in range(4):
        for model in list(pending):
            kwargs, ready = {}, True
            for f in model._meta.concrete_fields:
                if f.is_relation and f.many_to_one:
                    if f.related_model in made:
                        kwargs[f.name] = made[f.related_model]
                    elif f.related_model in factories and f.related_model in pending:
                        ready = False
                elif flags and f.get_internal_type() == "BooleanField" and f.editable:
                    kwargs[f.name] = True
            if not ready:
                continue
            pending.remove(model)
            try:
                with transaction.atomic():
                    made[model] = factories[model](**kwargs)
            except Exception as error:
                world.notes.append(f"{factories[model].__name__} for {child}: {error!r}"[:200])


def family_relations(child, parent):
    from accounts.models import User

    return {
        Child: child,
        Group: child.group,
        Centre: child.group.centre,
        Organisation: child.group.centre.organisation,
        User: parent,
    }


def autofill(child, parent, world):
    """A model with a scope but no factory and nothing in the demo still gets one object per family,
    made from its fields: foreign keys to the family, plain values for the rest."""
    relations = family_relations(child, parent)
    for model in scoped_models():
        if model in relations or model._default_manager.exists() and model not in world.autofilled:
            continue
        values, m2m = {}, {}
        try:
            for f in model._meta.concrete_fields:
                optional = f.primary_key or f.has_default() or f.null or getattr(f, "auto_now_add", False)
                if optional and not (f.is_relation and f.related_model in relations):
                    continue
                if f.is_relation:
                    target = (
                        relations.get(f.related_model)
                        or f.related_model._default_manager.filter(pk__in=visible_ids(f.related_model, parent)).first()
                    )
                    if target is None:
                        raise LookupError(f"no {f.related_model.__name__} for {f.name}")
                    values[f.name] = target
                else:
                    values[f.name] = plain_value(f)
            for f in model._meta.many_to_many:
                if f.related_model in relations:
                    m2m[f.name] = [relations[f.related_model]]
            with transaction.atomic():
                obj = model._default_manager.create(**values)
                for name, targets in m2m.items():
                    getattr(obj, name).set(targets)
            world.autofilled.add(model)
        except Exception as error:
            world.notes.append(f"no {model.__name__} for {child}: {error!r}"[:200])


def plain_value(f):
    import datetime
    import uuid

    from django.utils import timezone

    if f.choices:
        return f.choices[0][0]
    kind = f.get_internal_type()
    if kind == "EmailField":
        return "iemand@example.org"
    if kind in ("CharField", "TextField", "SlugField"):
        return "/" if "url" in f.name else f"auto-{uuid.uuid4().hex[:8]}"
    if kind == "UUIDField":
        return uuid.uuid4()
    if kind == "BooleanField":
        return False
    if kind.endswith("IntegerField") or kind in ("DecimalField", "FloatField"):
        return 1
    if kind == "DateTimeField":
        return timezone.now()
    if kind == "DateField":
        return datetime.date.today()
    if kind == "JSONField":
        return {}
    raise LookupError(f"no plain value for {f.name} ({kind})")


def tiny_jpeg():
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), (120, 160, 90)).save(buffer, format="JPEG")
    return buffer.getvalue()


def give_files(world):
    """Empty file fields of scoped objects get a small, different image each; consent to photos is given,
    so photo views have something to serve (and to refuse)."""
    from django.core.files.base import ContentFile

    for model in scoped_models():
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        if not file_fields:
            continue
        consent = [
            f.attname
            for f in model._meta.concrete_fields
            if "consent" in f.name and f.get_internal_type() == "BooleanField"
        ]
        for obj in model._default_manager.all():
            changes = dict.fromkeys(consent, True)
            for f in file_fields:
                if not getattr(obj, f.attname):
                    name = f.storage.save(
                        f"sweep/{model._meta.model_name}-{obj.pk}-{f.name}.jpg",
                        ContentFile(tiny_jpeg() + str(obj.pk).encode()),
                    )
                    changes[f.attname] = name
            model._default_manager.filter(pk=obj.pk).update(**changes)


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
                marked = f"{canary(obj.pk)} {value}".strip()  # as a form would store it: no trailing space
                changes[f.attname] = marked[: f.max_length] if f.max_length else marked
            try:
                with transaction.atomic():
                    model._default_manager.filter(pk=obj.pk).update(**changes)
            except Exception as error:  # an append-only log refuses updates: no canary there
                world.notes.append(f"no canary in {model.__name__}: {error!r}"[:200])
                break
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
                        world.files.setdefault(hashlib.sha256(handle.read()).hexdigest(), []).append(obj)


def related(obj, model, depth=3):
    """The object of `model` that `obj` belongs to, following foreign keys (a reply's child), or None."""
    if isinstance(obj, model):
        return obj
    if depth == 0:
        return None
    for f in obj._meta.concrete_fields:
        if f.is_relation and f.many_to_one and f.related_model is not None:
            parent = getattr(obj, f.name, None)
            found = parent is not None and related(parent, model, depth - 1)
            if found:
                return found
    return None


def linked_people(obj, user_model, depth=2):
    """Ids of the accounts an object points at, directly or through its parents (a reminder's participant)."""
    found = set()
    for f in obj._meta.concrete_fields:
        if not (f.is_relation and f.many_to_one) or getattr(obj, f.attname) is None:
            continue
        if f.related_model is user_model:
            found.add(getattr(obj, f.attname))
        elif depth > 1 and f.related_model._meta.app_label in PROJECT_APPS:
            found |= linked_people(getattr(obj, f.name), user_model, depth - 1)
    return found


class Design:
    """DESIGN.md's table of who sees what, written out from the raw relations, as a bound on each
    model's own `visible_to`: a scope wider than this is a leak even when every view follows the scope."""

    def __init__(self, people):
        self.guardian_of = {}
        self.staff_groups = {}
        self.managed_centres = {}
        self.centres_of = {}
        for name, person in people.items():
            if not person.is_authenticated:
                continue
            self.guardian_of[name] = set(Guardianship.objects.filter(user=person).values_list("child", flat=True))
            memberships = Membership.objects.filter(user=person)
            self.staff_groups[name] = set(memberships.values_list("groups", flat=True)) - {None}
            self.managed_centres[name] = set(memberships.filter(role="manager").values_list("centre", flat=True))
            self.centres_of[name] = set(memberships.values_list("centre", flat=True)) | set(
                Child.objects.filter(pk__in=self.guardian_of[name]).values_list("group__centre", flat=True)
            )

    def allows(self, name, person, obj):
        if obj._meta.app_label == "trainings":
            organisation = related(obj, Organisation)
            owner_ids = linked_people(obj, type(person))
            managed_orgs = set(
                Centre.objects.filter(pk__in=self.managed_centres[name]).values_list("organisation", flat=True)
            )
            booking = related(obj, apps.get_model("trainings", "Booking"))
            invited = booking is not None and booking.participants.filter(user=person).exists()
            return (
                person.is_trainer
                or person.pk in owner_ids
                or invited
                or bool(organisation and organisation.pk in managed_orgs)
            )
        child = related(obj, Child)
        if child is not None:
            return (
                child.pk in self.guardian_of[name]
                or child.group_id in self.staff_groups[name]
                or child.group.centre_id in self.managed_centres[name]
            )
        centre = related(obj, Centre)
        if centre is not None and not isinstance(obj, Centre | Group):
            return centre.pk in self.centres_of[name]
        return True


def scopes_beyond_design(world):
    """Objects a model's own scope shows to someone the product design does not allow to see them."""
    design = Design(world.people)
    found = []
    for (name, model), pks in world.visible.items():
        person = world.people[name]
        if not person.is_authenticated or model not in scoped_models():
            continue
        for pk in pks:
            obj = world.objects[pk]
            if not design.allows(name, person, obj):
                found.append(f"{model.__name__}.visible_to({name}) includes {pk} ({obj})"[:300])
    return found
