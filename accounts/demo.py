"""The demo foundation: an organisation with two centres, its groups, children and people (used by `seed_demo`).

Idempotent: running it twice changes nothing. Every demo account has the password DEMO_PASSWORD.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from allauth.account.models import EmailAddress

from children.models import Centre, Child, Group, Guardianship, Membership, Organisation

from .models import User

DEMO_PASSWORD = "samenspel-demo"  # noqa: S105 - demo only, refused in production


@dataclass
class Demo:
    """What the foundation created, handed to each app's `demo.seed(demo)`."""

    organisation: Organisation
    centres: list
    groups: dict
    children: dict
    users: dict
    today: date = field(default_factory=date.today)


def demo_user(email, name, **extra):
    user, created = User.objects.get_or_create(email=email, defaults={"name": name, **extra})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        # Demo accounts are verified, so one can log in at once.
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def seed():
    """The foundation every app's demo data stands on: organisation, centres, groups, children, people."""
    today = date.today()
    organisation, _ = Organisation.objects.get_or_create(name="Kinderopvang De Regenboog")
    boomgaard, _ = Centre.objects.get_or_create(
        organisation=organisation,
        name="Kindcentrum De Boomgaard",
        defaults={"address": "Appelstraat 12, Utrecht", "contact_email": "boomgaard@example.org"},
    )
    anker, _ = Centre.objects.get_or_create(
        organisation=organisation,
        name="IKC Het Anker",
        defaults={"address": "Havenweg 3, Amersfoort", "contact_email": "anker@example.org"},
    )
    groups = {
        name: Group.objects.get_or_create(centre=centre, name=name)[0]
        for centre, name in [(boomgaard, "Dolfijnen"), (boomgaard, "Vlinders"), (anker, "Egeltjes")]
    }

    def child(first, last, group, born_months_ago, started_months_ago):
        return Child.objects.get_or_create(
            first_name=first,
            last_name=last,
            group=groups[group],
            defaults={
                "date_of_birth": today - timedelta(days=30 * born_months_ago),
                "start_date": today - timedelta(days=30 * started_months_ago),
            },
        )[0]

    children = {
        "sam": child("Sam", "de Vries", "Dolfijnen", 26, 14),
        "noor": child("Noor", "de Vries", "Vlinders", 12, 2),
        "mila": child("Mila", "Bakker", "Dolfijnen", 30, 20),
        "daan": child("Daan", "Jansen", "Dolfijnen", 20, 8),
        "yara": child("Yara", "El Amrani", "Vlinders", 16, 6),
        "finn": child("Finn", "Visser", "Egeltjes", 24, 10),
        "lotte": child("Lotte", "Smit", "Egeltjes", 34, 25),
        "ezra": child("Ezra", "Mulder", "Dolfijnen", 11, -1),  # starts next month
    }

    users = {
        "ouder": demo_user("ouder@example.org", "Anne de Vries"),
        "medewerker": demo_user("medewerker@example.org", "Fatima Yilmaz"),
        "manager": demo_user("manager@example.org", "Joost van Dam"),
        "ouder2": demo_user("ouder2@example.org", "Peter Visser"),
        "medewerker2": demo_user("medewerker2@example.org", "Lisa de Boer"),
        "trainer": demo_user("trainer@example.org", "Marieke Kok", is_trainer=True),
    }
    for key in ["sam", "noor"]:
        Guardianship.objects.get_or_create(user=users["ouder"], child=children[key])
    Guardianship.objects.get_or_create(user=users["ouder2"], child=children["finn"])

    staff, _ = Membership.objects.get_or_create(user=users["medewerker"], centre=boomgaard, role="staff")
    staff.groups.add(groups["Dolfijnen"])
    staff2, _ = Membership.objects.get_or_create(user=users["medewerker2"], centre=anker, role="staff")
    staff2.groups.add(groups["Egeltjes"])
    Membership.objects.get_or_create(user=users["manager"], centre=boomgaard, role="manager")

    return Demo(
        organisation=organisation,
        centres=[boomgaard, anker],
        groups=groups,
        children=children,
        users=users,
        today=today,
    )
