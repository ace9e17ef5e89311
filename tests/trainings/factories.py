"""Factories for the training offer."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tests.factories import CentreFactory
from trainings.models import (
    Booking,
    IntakeRequest,
    Offering,
    Participant,
    PreferredDate,
    ProgrammeStep,
    Theme,
    TrainingSession,
)


class OfferingFactory(DjangoModelFactory):
    class Meta:
        model = Offering

    kind = Offering.Kind.TRAINING
    title = factory.Sequence(lambda n: f"Training {n}")
    slug = factory.Sequence(lambda n: f"training-{n}")
    summary = "Samen opvoeden, ouders en professionals."


class ProgrammeStepFactory(DjangoModelFactory):
    class Meta:
        model = ProgrammeStep

    offering = factory.SubFactory(OfferingFactory)
    title = factory.Sequence(lambda n: f"Stap {n}")
    position = factory.Sequence(int)


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme

    offering = factory.SubFactory(OfferingFactory)
    title = factory.Sequence(lambda n: f"Thema {n}")
    position = factory.Sequence(int)


class IntakeRequestFactory(DjangoModelFactory):
    class Meta:
        model = IntakeRequest

    name = factory.Faker("name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"vraag{n}@example.org")
    organisation = "Kinderopvang Het Zonnetje"
    role = IntakeRequest.Role.MANAGER
    interest = factory.SubFactory(OfferingFactory)
    question = "Wat kost een training voor ons team?"
    consent_at = factory.LazyFunction(timezone.now)
    submission_key = factory.Sequence(lambda n: f"key-{n}")


class BookingFactory(DjangoModelFactory):
    class Meta:
        model = Booking

    centre = factory.SubFactory(CentreFactory)
    organisation = factory.LazyAttribute(lambda o: o.centre.organisation)
    offering = factory.SubFactory(OfferingFactory)
    expected_parents = 6
    expected_staff = 8
    location = "Appelstraat 12, Utrecht"
    goals = "Betere gesprekken met ouders."


class PreferredDateFactory(DjangoModelFactory):
    class Meta:
        model = PreferredDate

    booking = factory.SubFactory(BookingFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class TrainingSessionFactory(DjangoModelFactory):
    class Meta:
        model = TrainingSession

    booking = factory.SubFactory(BookingFactory, status=Booking.Status.CONFIRMED)
    starts_at = factory.Sequence(lambda n: timezone.now().replace(second=0, microsecond=0) + timedelta(days=14 + n))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2, minutes=30))


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant

    booking = factory.SubFactory(BookingFactory, status=Booking.Status.CONFIRMED)
    email = factory.Sequence(lambda n: f"deelnemer{n}@example.org")
    role = Participant.Role.PARENT
