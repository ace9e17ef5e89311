"""factory-boy factories for absences, messages to the team and the team's settings."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from children.models import FamilyMember
from partnership.models import (
    Absence,
    GroupMoment,
    MessageNotice,
    MomentPhoto,
    MomentReply,
    Side,
    TeamMessage,
    TeamSettings,
    Theme,
)
from tests.factories import CentreFactory, ChildFactory, GroupFactory, UserFactory

from .factories import image_bytes


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


class GroupMomentFactory(DjangoModelFactory):
    class Meta:
        model = GroupMoment
        skip_postgeneration_save = True

    group = factory.SubFactory(GroupFactory)
    author = factory.SubFactory(UserFactory)
    theme = Theme.PLAYING
    happened_on = factory.LazyFunction(timezone.localdate)
    text = factory.Faker("paragraph", locale="nl_NL")

    @factory.post_generation
    def children(obj, create, extracted, **kwargs):
        """The children the moment is for: the whole group unless given."""
        if create:
            obj.children.set(extracted if extracted is not None else obj.group.children.all())


class MomentPhotoFactory(DjangoModelFactory):
    """A processed photo; `children` marks who is in it (marked by default with the moment's children)."""

    class Meta:
        model = MomentPhoto
        skip_postgeneration_save = True

    moment = factory.SubFactory(GroupMomentFactory)
    image = factory.django.FileField(filename="g.jpg", data=factory.LazyFunction(image_bytes))
    thumbnail = factory.django.FileField(filename="g-thumb.jpg", data=factory.LazyFunction(image_bytes))
    width = 64
    height = 48
    marked_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def children(obj, create, extracted, **kwargs):
        if create:
            obj.children.set(extracted if extracted is not None else obj.moment.children.all())


class MomentReplyFactory(DjangoModelFactory):
    class Meta:
        model = MomentReply

    moment = factory.SubFactory(GroupMomentFactory)
    child = factory.SubFactory(ChildFactory)
    author = factory.SubFactory(UserFactory)
    side = Side.HOME
    text = factory.Faker("sentence", locale="nl_NL")


class FamilyMemberFactory(DjangoModelFactory):
    class Meta:
        model = FamilyMember

    child = factory.SubFactory(ChildFactory)
    user = factory.SubFactory(UserFactory)
