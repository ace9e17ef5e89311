"""The demo has a welcome coffee morning, a parent evening, agreements and offers, and stays the same when rerun."""

import pytest
from django.core.management import call_command

from accounts.models import User
from partnership.models import CentreAgreement, ChildAgreement, Event, HelpRequest, ParentOffer, Reminder, Rsvp

pytestmark = pytest.mark.django_db


def counts():
    models = (Event, Rsvp, Reminder, CentreAgreement, ChildAgreement, ParentOffer, HelpRequest)
    return [model.objects.count() for model in models]


def test_demo_events_agreements_and_offers(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    first = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == first
    assert Event.objects.filter(kind=Event.Kind.COFFEE_MORNING, for_new_parents=True).exists()
    assert Event.objects.filter(kind=Event.Kind.PARENT_EVENING).exists()
    anne = User.objects.get(email="ouder@example.org")
    assert Event.objects.visible_to(anne).filter(kind=Event.Kind.PARENT_EVENING).exists()
    assert Reminder.objects.filter(person=anne).exists()
    assert ChildAgreement.objects.filter(status=ChildAgreement.Status.ACCEPTED).exists()
    assert ChildAgreement.objects.filter(status=ChildAgreement.Status.PROPOSED).exists()
    assert ParentOffer.objects.filter(person=anne).exists()
