"""The wider family who follow one child hear of the staff's replies in that child's threads, and only there."""

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from tests.factories import UserFactory
from tests.partnership.factories import ObservationFactory
from tests.partnership.team_factories import FamilyMemberFactory, GroupMomentFactory

pytestmark = pytest.mark.django_db

SECRET = "Sam at vandaag zijn hele bord leeg."


@pytest.fixture
def oma(kind, ouder):
    user = UserFactory(email="oma@example.org", name="Oma Riet")
    FamilyMemberFactory(child=kind, user=user, invited_by=ouder)
    return user


@pytest.fixture
def opa_buur(kind_buur, ouder_buur):
    user = UserFactory(email="opa.buur@example.org", name="Opa Kees")
    FamilyMemberFactory(child=kind_buur, user=user, invited_by=ouder_buur)
    return user


def test_a_staff_reply_on_an_observation_reaches_the_childs_family_only(
    client, kind, ouder, oma, opa_buur, medewerker, mailoutbox, django_capture_on_commit_callbacks
):
    observation = ObservationFactory(child=kind, author=ouder)
    client.force_login(medewerker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("partnership:reply_create", args=[observation.pk]), {f"reply-{observation.pk}-text": SECRET}
        )
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=oma).count() == 1
    assert Notification.objects.filter(recipient=ouder).count() == 1, "the parent hears of it once"
    assert not Notification.objects.filter(recipient=opa_buur).exists()
    assert mailoutbox, "the family is mailed as they prefer"
    for mail in mailoutbox:
        assert "bord leeg" not in mail.body and "bord leeg" not in mail.subject
    assert "oma@example.org" in {address for mail in mailoutbox for address in mail.to}


def test_a_family_members_own_reply_does_not_come_back_to_them(
    client, kind, ouder, oma, medewerker, django_capture_on_commit_callbacks
):
    observation = ObservationFactory(child=kind, author=medewerker, side="centre")
    client.force_login(oma)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("partnership:reply_create", args=[observation.pk]), {f"reply-{observation.pk}-text": "Ja!"})
    assert not Notification.objects.filter(recipient=oma).exists()
    assert Notification.objects.filter(recipient=medewerker).exists()


def test_a_staff_reply_in_a_moments_thread_reaches_that_childs_family_only(
    client, groep, kind, kind_buur, ouder, ouder_buur, oma, opa_buur, medewerker, mailoutbox
):
    moment = GroupMomentFactory(group=groep, author=medewerker, children=[kind, kind_buur])
    Notification.objects.all().delete()
    client.force_login(medewerker)
    response = client.post(
        reverse("partnership:moment_reply", args=[moment.pk]),
        {"child": kind.pk, f"moment-{moment.pk}-{kind.pk}-text": SECRET},
    )
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=oma).count() == 1
    assert Notification.objects.filter(recipient=ouder).count() == 1
    assert not Notification.objects.filter(recipient__in=[opa_buur, ouder_buur]).exists()
    for mail in mailoutbox:
        assert "bord leeg" not in mail.body and "bord leeg" not in mail.subject


def test_revoked_family_hears_nothing(client, groep, kind, ouder, medewerker):
    user = UserFactory(email="ex@example.org")
    FamilyMemberFactory(child=kind, user=user, invited_by=ouder, revoked_at=timezone.now())
    moment = GroupMomentFactory(group=groep, author=medewerker, children=[kind])
    client.force_login(medewerker)
    client.post(
        reverse("partnership:moment_reply", args=[moment.pk]),
        {"child": kind.pk, f"moment-{moment.pk}-{kind.pk}-text": "Fijn"},
    )
    assert not Notification.objects.filter(recipient=user).exists()
    assert Notification.objects.filter(recipient=ouder).exists()
