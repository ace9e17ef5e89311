"""The demo data for observations is realistic Dutch, visible to the right people, and can be seeded twice."""

from django.core.management import call_command

from accounts.models import User
from children.models import Child
from partnership.models import Observation, Reply, TipOutcome


def test_demo_observations_are_idempotent(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    counts = (Observation.objects.count(), Reply.objects.count(), TipOutcome.objects.count())
    sam = Child.objects.get(first_name="Sam")
    history = sam.history.count()
    call_command("seed_demo", verbosity=0)
    assert (Observation.objects.count(), Reply.objects.count(), TipOutcome.objects.count()) == counts
    assert sam.history.count() == history
    assert counts[0] >= 10 and counts[2] >= 2
    assert sam.sleeping and "Flap" in sam.sleeping
    # Every demo observation is visible to the child's own people and to nobody of the other centre.
    ouder2 = User.objects.get(email="ouder2@example.org")
    assert not Observation.objects.visible_to(ouder2).filter(child=sam).exists()
    assert Observation.objects.visible_to(User.objects.get(email="ouder@example.org")).filter(child=sam).count() >= 6
    assert Observation.objects.awaiting_centre().filter(child=sam, is_question=True).exists()
