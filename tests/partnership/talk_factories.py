"""factory-boy factories for rounds of talks, their times and reminders."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from partnership.models import (
    Handover,
    HandoverLink,
    TalkPreparation,
    TalkReaction,
    TalkReminder,
    TalkReport,
    TalkRound,
    TalkSlot,
)
from partnership.models.handover import hash_token
from tests.factories import ChildFactory, GroupFactory, UserFactory


def _next_week():
    return (timezone.now() + timedelta(days=7)).replace(hour=9, minute=0, second=0, microsecond=0)


class TalkRoundFactory(DjangoModelFactory):
    class Meta:
        model = TalkRound
        skip_postgeneration_save = True

    group = factory.SubFactory(GroupFactory)
    centre = factory.LazyAttribute(lambda o: o.group.centre)
    title = factory.Sequence(lambda n: f"Mentorgesprekken {n}")
    place = "Lokaal 2"
    slot_minutes = 15
    booking_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def children(obj, create, extracted, **kwargs):
        """The group's children are invited, unless a list is given."""
        if not create:
            return
        if extracted is not None:
            obj.children.set(extracted)
        elif obj.group is not None:
            obj.children.set(obj.group.children.all())


class TalkSlotFactory(DjangoModelFactory):
    class Meta:
        model = TalkSlot

    round = factory.SubFactory(TalkRoundFactory)
    starts_at = factory.Sequence(lambda n: _next_week() + timedelta(minutes=15 * n))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=15))
    child = None


class TalkReminderFactory(DjangoModelFactory):
    class Meta:
        model = TalkReminder

    slot = factory.SubFactory(TalkSlotFactory)
    round = factory.LazyAttribute(lambda o: o.slot.round)
    person = factory.SubFactory(UserFactory)
    kind = TalkReminder.Kind.BEFORE
    due_at = factory.LazyAttribute(lambda o: o.slot.starts_at - timedelta(hours=24))


class TalkPreparationFactory(DjangoModelFactory):
    class Meta:
        model = TalkPreparation

    round = factory.SubFactory(TalkRoundFactory)
    child = factory.SubFactory(ChildFactory)
    at_home = "Zingt de hele dag."
    proud_of = "Fietst zonder zijwieltjes."
    questions = "Hoe slaapt ze op de groep?"


class TalkReportFactory(DjangoModelFactory):
    class Meta:
        model = TalkReport

    round = factory.SubFactory(TalkRoundFactory)
    child = factory.SubFactory(ChildFactory)
    text = "Een fijn gesprek over slapen en spelen."
    published_at = factory.LazyFunction(timezone.now)


class TalkReactionFactory(DjangoModelFactory):
    class Meta:
        model = TalkReaction

    report = factory.SubFactory(TalkReportFactory)
    author = factory.SubFactory(UserFactory)
    text = "Dank je wel voor het gesprek."


class HandoverFactory(DjangoModelFactory):
    class Meta:
        model = Handover

    child = factory.SubFactory(ChildFactory)
    mentor = factory.SubFactory(UserFactory)
    themes = factory.LazyFunction(lambda: {"language": "Vertelt graag verhalen."})
    wellbeing = "Voelt zich thuis op de groep."
    what_helps = "Een vast afscheidsritueel."
    agreements_that_work = "Knuffel mee bij het slapen."
    status = Handover.Status.AWAITING


class HandoverLinkFactory(DjangoModelFactory):
    class Meta:
        model = HandoverLink

    handover = factory.SubFactory(HandoverFactory, status=Handover.Status.SENT)
    token_hash = factory.Sequence(lambda n: hash_token(f"token-{n}"))
    contact_name = "Juf Ans"
    contact_email = "ans@school.example.org"
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
