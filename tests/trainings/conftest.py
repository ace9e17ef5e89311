import pytest

from trainings.models import Booking

from .factories import BookingFactory, OfferingFactory


@pytest.fixture
def training(db):
    return OfferingFactory(title="Samen opvoeden", slug="samen-opvoeden")


@pytest.fixture
def booking(centrum, manager, training):
    """A booking of centre one, requested by its manager."""
    return BookingFactory(centre=centrum, offering=training, requested_by=manager)


@pytest.fixture
def booking_elders(centrum_elders, manager_elders, training):
    return BookingFactory(centre=centrum_elders, offering=training, requested_by=manager_elders)


@pytest.fixture
def confirmed_booking(booking, trainer):
    booking.status = Booking.Status.CONFIRMED
    booking.trainer = trainer
    booking.save()
    return booking
