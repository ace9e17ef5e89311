"""Demo data of the training offer: the catalogue in Dutch, an intake request and bookings; idempotent."""

from accounts import demo as foundation_demo
from trainings import demo
from trainings.models import Booking, IntakeRequest, Offering, Participant, TrainingReminder


def counts():
    return [m.objects.count() for m in (Offering, IntakeRequest, Booking, Participant, TrainingReminder)]


def test_seed_is_idempotent_and_fills_the_catalogue(db):
    foundation = foundation_demo.seed()
    demo.seed(foundation)
    first = counts()
    demo.seed(foundation)
    assert counts() == first

    training = Offering.objects.get(kind=Offering.Kind.TRAINING)
    assert training.steps.count() == 5 and training.themes.count() == 6
    assert Offering.objects.exclude(kind=Offering.Kind.TRAINING).count() == 5
    booking = Booking.objects.get(status=Booking.Status.CONFIRMED)
    assert booking.requested_by == foundation.users["manager"]
    assert booking.trainer == foundation.users["trainer"]
    assert booking.sessions.count() == 4
    assert Booking.objects.visible_to(foundation.users["manager"]).count() == 2
    assert Participant.objects.filter(user=foundation.users["ouder"], answered_at__isnull=True).exists()
