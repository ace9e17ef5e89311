"""Bookings are scoped per centre: a manager of a sister centre in the same organisation gets a 404 on another
centre's booking (its page, the invite page with the names of that centre's people, adding a participant,
cancelling), unless their membership holds the organisation-wide role."""

import pytest
from django.test import Client
from django.urls import reverse

from children.models import Membership
from tests.factories import CentreFactory, ChildFactory, GroupFactory, GuardianshipFactory, UserFactory
from trainings.models import Booking, Participant

from .factories import BookingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sister_centre(centrum):
    return CentreFactory(organisation=centrum.organisation, name="Kindcentrum De Linde")


@pytest.fixture
def sister_manager(sister_centre):
    user = UserFactory(email="manager-linde@example.org", name="Karel Linde")
    Membership.objects.create(user=user, centre=sister_centre, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def confirmed(centrum, manager, training, trainer, ouder, medewerker):
    return BookingFactory(
        centre=centrum, offering=training, requested_by=manager, status=Booking.Status.CONFIRMED, trainer=trainer
    )


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def pages(booking):
    return [
        reverse("trainings:booking_detail", args=[booking.pk]),
        reverse("trainings:booking_invite", args=[booking.pk]),
    ]


def test_the_manager_of_a_sister_centre_gets_a_404_everywhere(sister_manager, confirmed, ouder):
    client = logged_in(sister_manager)
    for url in pages(confirmed):
        response = client.get(url)
        assert response.status_code == 404, url
        assert ouder.name not in response.content.decode()
    invite = client.post(reverse("trainings:booking_invite", args=[confirmed.pk]), {"parents": [ouder.pk]})
    assert invite.status_code == 404
    cancel = client.post(
        reverse("trainings:booking_status", args=[confirmed.pk]), {"status": "cancelled", "version": 1}
    )
    assert cancel.status_code == 404
    confirmed.refresh_from_db()
    assert confirmed.status == Booking.Status.CONFIRMED
    assert not Participant.objects.exists()
    assert confirmed not in Booking.objects.visible_to(sister_manager)
    assert (
        reverse("trainings:booking_detail", args=[confirmed.pk])
        not in client.get(reverse("trainings:booking_list")).content.decode()
    )


def test_the_centres_own_manager_and_the_trainer_reach_it(manager, trainer, confirmed, ouder):
    for user, expected in [(manager, [200, 200]), (trainer, [200, 404])]:
        client = logged_in(user)
        assert [client.get(url).status_code for url in pages(confirmed)] == expected, user


@pytest.mark.parametrize("name", ["ouder", "medewerker", "ouder_elders", "medewerker_elders", "manager_elders"])
def test_others_get_a_404(everyone, confirmed, name):
    client = logged_in(everyone[name])
    assert [client.get(url).status_code for url in pages(confirmed)] == [404, 404]


def test_anonymous_goes_to_the_login(client, confirmed):
    for url in pages(confirmed):
        assert client.get(url).status_code == 302


def test_an_organisation_wide_manager_invites_and_cancels_for_a_sister_centre(sister_manager, sister_centre, confirmed):
    Membership.objects.filter(user=sister_manager).update(organisation_wide=True)
    group = GroupFactory(centre=confirmed.centre)
    parent = UserFactory(email="ouder-boomgaard@example.org")
    GuardianshipFactory(user=parent, child=ChildFactory(group=group))
    client = logged_in(sister_manager)
    url = reverse("trainings:booking_invite", args=[confirmed.pk])
    assert str(parent.pk) in dict(client.get(url).context["form"].fields["parents"].choices)
    assert client.post(url, {"parents": [parent.pk], "email_role": "parent"}).status_code == 302
    assert Participant.objects.filter(booking=confirmed, user=parent).exists()
    response = client.post(
        reverse("trainings:booking_status", args=[confirmed.pk]), {"status": "cancelled", "version": confirmed.version}
    )
    assert response.status_code == 302
    confirmed.refresh_from_db()
    assert confirmed.status == Booking.Status.CANCELLED


def test_the_organisation_wide_role_is_set_in_the_admin(admin_client, sister_manager):
    membership = Membership.objects.get(user=sister_manager)
    page = admin_client.get(reverse("admin:children_membership_change", args=[membership.pk]))
    assert page.status_code == 200
    assert 'name="organisation_wide"' in page.content.decode()
