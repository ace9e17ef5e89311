"""factory-boy factories for absences, messages to the team and the team's settings."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from partnership.models import Absence, Side, TeamSettings
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
