import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from children.models import Centre, Child, Guardianship


def test_seed_demo_runs_twice_without_duplicates(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (User.objects.count(), Child.objects.count(), Guardianship.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Child.objects.count(), Guardianship.objects.count()) == counts
    assert Centre.objects.count() == 2
    for email in [
        "ouder@example.org",
        "medewerker@example.org",
        "manager@example.org",
        "ouder2@example.org",
        "medewerker2@example.org",
        "trainer@example.org",
    ]:
        assert User.objects.get(email=email).check_password("samenspel-demo")
    ouder2 = User.objects.get(email="ouder2@example.org")
    medewerker = User.objects.get(email="medewerker@example.org")
    assert not set(Child.objects.visible_to(ouder2)) & set(Child.objects.visible_to(medewerker))


def test_seed_demo_is_refused_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()
