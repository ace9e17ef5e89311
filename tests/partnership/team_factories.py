"""factory-boy factories for absences, messages to the team and the team's settings."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from partnership.models import Absence, MessageNotice, Side, TeamMessage, TeamSettings
from tests.factories import CentreFactory, ChildFactory, UserFactory


class TeamSettingsFactory(DjangoModelFactory):
    class Meta:
        model = TeamSettings
        django_get_or_create = ("centre",)

    centre = factory.SubFactory(CentreFactory)


class AbsenceFactory(DjangoModelFactory):
    class Meta:
        model = Absence

    child = factory.SubFactory(ChildFactory)
    author = factory.SubFactory(UserFactory)
    side = Side.HOME
    reason = Absence.Reason.ILL
    first_day = factory.LazyFunction(timezone.localdate)
    last_day = factory.LazyAttribute(lambda o: o.first_day)
    note = factory.Faker("sentence", locale="nl_NL")


def days_from_today(n):
    return timezone.localdate() + datetime.timedelta(days=n)


class TeamMessageFactory(DjangoModelFactory):
    class Meta:
        model = TeamMessage

    child = factory.SubFactory(ChildFactory)
    author = factory.SubFactory(UserFactory)
    side = Side.HOME
    text = factory.Faker("sentence", locale="nl_NL")


class MessageNoticeFactory(DjangoModelFactory):
    class Meta:
        model = MessageNotice

    message = factory.SubFactory(TeamMessageFactory)
    due_at = factory.LazyFunction(timezone.now)


def always_answering(centre):
    """Team settings under which the team answers at any moment of any day."""
    return TeamSettingsFactory(
        centre=centre, answer_days="1234567", answer_from=datetime.time(0, 0), answer_until=datetime.time(23, 59, 59)
    )


def not_answering_today(centre):
    """Team settings under which the team answers every day but today, from 08:00."""
    today = timezone.localdate().isoweekday()
    days = "".join(str(d) for d in range(1, 8) if d != today)
    return TeamSettingsFactory(centre=centre, answer_days=days, answer_from=datetime.time(8, 0))
