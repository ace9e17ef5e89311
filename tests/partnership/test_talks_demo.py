"""The demo has mentors, a round of talks with booked and free times, a report and a handover awaiting consent."""

import pytest
from django.core.management import call_command

from accounts.models import User
from children.models import Child
from partnership.models import ChildAgreement, Handover, TalkReport, TalkRound, TalkSlot

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (TalkRound, TalkSlot, TalkReport, Handover, ChildAgreement)]


def test_demo_mentors_talks_and_handover(settings, client):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    first = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == first

    fatima = User.objects.get(email="medewerker@example.org")
    anne = User.objects.get(email="ouder@example.org")
    sam = Child.objects.get(first_name="Sam")
    assert sam.mentor == fatima
    assert Child.objects.current().without_mentor().exists()  # the Vlinders wait for a mentor
    upcoming = TalkRound.objects.get(title="Mentorgesprekken Dolfijnen")
    assert upcoming.slots.booked().count() == 1 and upcoming.slots.free().count() > 1
    assert TalkReport.objects.filter(child=sam, published_at__isnull=False, agreements__isnull=False).exists()
    assert Handover.objects.get(child=sam).status == Handover.Status.AWAITING

    client.force_login(anne)
    assert client.get(upcoming.get_absolute_url()).status_code == 200
    assert client.get(Handover.objects.get(child=sam).get_absolute_url()).status_code == 200
