"""factory-boy factories for events, reminders, agreements and parent offers."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from partnership.models import CentreAgreement, ChildAgreement, Event, HelpRequest, ParentOffer, Reminder, Rsvp
from tests.factories import CentreFactory, ChildFactory, UserFactory


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    centre = factory.SubFactory(CentreFactory)
    kind = Event.Kind.PARENT_EVENING
    title = factory.Sequence(lambda n: f"Ouderavond {n}")
    description = "Samen praten over slapen en wennen."
    starts_at = factory.LazyFunction(lambda: (timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    location = "De grote zaal"

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.add(*extracted)


class RsvpFactory(DjangoModelFactory):
    class Meta:
        model = Rsvp

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(UserFactory)
    answer = Rsvp.Answer.YES


class ReminderFactory(DjangoModelFactory):
    class Meta:
        model = Reminder

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(UserFactory)
    kind = Reminder.Kind.FIRST
    due_at = factory.LazyFunction(timezone.now)


class CentreAgreementFactory(DjangoModelFactory):
    class Meta:
        model = CentreAgreement

    centre = factory.SubFactory(CentreFactory)
    kind = CentreAgreement.Kind.HOUSE
    title = factory.Sequence(lambda n: f"Afspraak {n}")
    text = "Bij het brengen blijf je maximaal tien minuten."


class ChildAgreementFactory(DjangoModelFactory):
    class Meta:
        model = ChildAgreement

    child = factory.SubFactory(ChildFactory)
    topic = ChildAgreement.Topic.GOODBYE
    title = factory.Sequence(lambda n: f"Afscheidsritueel {n}")
    text = "Eén knuffel, zwaaien bij het raam, dan gaat papa weg."
    proposed_side = ChildAgreement.Side.HOME
    proposed_by = factory.SubFactory(UserFactory)


class ParentOfferFactory(DjangoModelFactory):
    class Meta:
        model = ParentOffer

    person = factory.SubFactory(UserFactory)
    centre = factory.SubFactory(CentreFactory)
    kind = ParentOffer.Kind.READING
    description = "Ik lees graag voor, ook in het Turks."
    mornings = True


class HelpRequestFactory(DjangoModelFactory):
    class Meta:
        model = HelpRequest

    offer = factory.SubFactory(ParentOfferFactory)
    event = factory.SubFactory(EventFactory)
    message = "Wil je helpen met de koffie?"
