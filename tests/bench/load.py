"""Bulk data for the benchmark, written with COPY: centres, groups, children, people and observations."""

import csv
import io
import random
from datetime import UTC, date, datetime, timedelta

from django.db import connection
from django.db.models import NOT_PROVIDED

WORDS_SPOKEN = (
    "vandaag lekker gegeten boterham pap slapen middagslaapje knuffel buiten gespeeld zandbak blokken toren "
    "gebouwd liedje gezongen samen gedeeld boos verdrietig getroost gelachen nieuwe woorden gezegd mama papa "
    "juf fiets rennen klimmen puzzel tekening verf plassen wc luier droog gebleven rustig druk moe wakker "
    "broertje zusje opa oma buurman hond kat auto trein boekje voorlezen dansen springen schommel"
)
WORDS = WORDS_SPOKEN.split()


def sentence(rng, words=(12, 40)):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(*words))).capitalize() + "."


class Copier:
    """COPY rows into a model's table; columns left out get the field's default, '' or NULL."""

    def __init__(self, model):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.next_id = self._max_id() + 1

    def _max_id(self):
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{self.model._meta.db_table}"')  # noqa: S608
            return cursor.fetchone()[0]

    def _default(self, f):
        if f.default is not NOT_PROVIDED:
            value = f.default() if callable(f.default) else f.default
            return value
        if f.null:
            return None
        if f.get_internal_type() in ("CharField", "TextField", "FileField", "ImageField", "SlugField", "EmailField"):
            return ""
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
            return datetime.now(UTC)
        raise ValueError(f"{self.model.__name__}.{f.name} needs a value")

    def copy(self, rows):
        """`rows`: dicts keyed by attname (`child_id`); returns the ids given to them, in order."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        ids = []
        defaults = {}
        for row in rows:
            row.setdefault("id", self.next_id)
            self.next_id = max(self.next_id, row["id"] + 1)
            ids.append(row["id"])
            values = []
            for f in self.fields:
                if f.attname in row:
                    value = row[f.attname]
                else:
                    if f.attname not in defaults:
                        defaults[f.attname] = self._default(f)
                    value = defaults[f.attname]
                values.append(
                    r"\N" if value is None else (("t" if value else "f") if isinstance(value, bool) else value)
                )
            writer.writerow(values)
        buffer.seek(0)
        columns = ", ".join(f'"{f.column}"' for f in self.fields)
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY \"{self.model._meta.db_table}\" ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
            )
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [self.model._meta.db_table, self.next_id]
            )
        return ids


def load_people_and_centres(children_count, rng):
    """Organisations of five centres, five groups per centre, children spread over the groups, a parent per
    child, two staff per group and a manager per centre. Returns the bench's own people and children."""
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from children.models import Centre, Child, Group, Guardianship, Membership, Organisation

    now = datetime.now(UTC)
    groups_count = max(2, children_count // 20)
    centres_count = max(1, groups_count // 5)
    organisations = Copier(Organisation).copy(
        [{"name": f"Kinderopvang {n}"} for n in range(max(1, centres_count // 5))]
    )
    centres = Copier(Centre).copy(
        [
            {"organisation_id": organisations[n % len(organisations)], "name": f"Kindcentrum {n}"}
            for n in range(centres_count)
        ]
    )
    groups = Copier(Group).copy(
        [{"centre_id": centres[n % centres_count], "name": f"Groep {n}"} for n in range(groups_count)]
    )
    today = date.today()
    children = Copier(Child).copy(
        [
            {
                "first_name": f"Kind{n}",
                "last_name": "Bench",
                "date_of_birth": today - timedelta(days=rng.randint(200, 1400)),
                "group_id": groups[n % groups_count],
                "start_date": today - timedelta(days=rng.randint(0, 180)),
                "photo_consent": True,
                "created_at": now,
            }
            for n in range(children_count)
        ]
    )
    users = Copier(User)
    user_row = {"password": "!", "is_active": True, "is_staff": False, "is_superuser": False, "date_joined": now}
    parents = users.copy(
        [{**user_row, "email": f"ouder{n}@bench.example", "name": f"Ouder {n}"} for n in range(children_count)]
    )
    staff = users.copy(
        [{**user_row, "email": f"pm{n}@bench.example", "name": f"Medewerker {n}"} for n in range(groups_count * 2)]
    )
    Copier(EmailAddress).copy(
        [
            {"user_id": pk, "email": email, "verified": True, "primary": True}
            for pk, email in [(p, f"ouder{n}@bench.example") for n, p in enumerate(parents)]
        ]
    )
    Copier(Guardianship).copy(
        [{"user_id": parents[n], "child_id": children[n], "created_at": now} for n in range(children_count)]
    )
    memberships = Copier(Membership).copy(
        [
            {"user_id": staff[n], "centre_id": centres[(n // 2) % groups_count % centres_count], "role": "staff"}
            | {"created_at": now}
            for n in range(groups_count * 2)
        ]
    )
    Copier(Membership.groups.through).copy(
        [{"membership_id": memberships[n], "group_id": groups[n // 2]} for n in range(groups_count * 2)]
    )
    return {"children": children, "parents": parents, "staff": staff, "groups": groups, "centres": centres}


def load_observations(world, per_child, rng, replies_share=0.1):
    """`per_child`: {child id: how many}. Home observations by the parent, centre ones by the group's staff;
    one in ten gets a reply from the other side, a third of those a tip."""
    from partnership.models import Observation, Reply

    children, parents, staff = world["children"], world["parents"], world["staff"]
    index = {child: n for n, child in enumerate(children)}
    groups_count = len(world["groups"])
    themes = ["eating", "sleeping", "playing", "language", "moving", "social_emotional", "toilet", "other"]
    now = datetime.now(UTC)
    observations = Copier(Observation)
    replies = Copier(Reply)
    batch, answers = [], []

    def flush():
        ids = observations.copy(batch)
        reply_rows = []
        for pk, row in zip(ids, batch, strict=True):
            if rng.random() < replies_share:
                home = row["side"] == "home"
                n = index[row["child_id"]]
                reply_rows.append(
                    {
                        "observation_id": pk,
                        "author_id": staff[(n % groups_count) * 2] if home else parents[n],
                        "side": "centre" if home else "home",
                        "text": sentence(rng, (6, 20)),
                        "is_tip": rng.random() < 0.33,
                        "created_at": row["created_at"] + timedelta(hours=3),
                    }
                )
        replies.copy(reply_rows)
        batch.clear()

    for child, count in per_child.items():
        n = index[child]
        for _ in range(count):
            home = rng.random() < 0.5
            created = now - timedelta(minutes=rng.randint(1, 2 * 365 * 24 * 60))
            batch.append(
                {
                    "child_id": child,
                    "author_id": parents[n] if home else staff[(n % groups_count) * 2],
                    "side": "home" if home else "centre",
                    "theme": rng.choice(themes),
                    "observed_on": created.date(),
                    "text": sentence(rng),
                    "is_question": home and rng.random() < 0.05,
                    "created_at": created,
                }
            )
            if len(batch) >= 20_000:
                flush()
    if batch:
        flush()
    del answers
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def spread(total, children, rng_seed=7):
    """`total` observations over `children`, a little uneven, as {child: count}."""
    rng = random.Random(rng_seed)
    weights = [rng.uniform(0.5, 1.5) for _ in children]
    scale = total / sum(weights)
    counts = {child: int(w * scale) for child, w in zip(children, weights, strict=True)}
    leftover = total - sum(counts.values())
    for child in children[:leftover]:
        counts[child] += 1
    return counts
