"""Every page of the training offer as every role: public pages for all, the rest by scope."""

import pytest
from django.urls import reverse

from tests.people import PEOPLE

from .factories import ParticipantFactory

ROLES = [person for person in PEOPLE if person != "ouder_buur"]


@pytest.mark.parametrize("name", [*ROLES, "anonymous"])
def test_public_pages_open_for_everyone(client, request, name, training):
    if name != "anonymous":
        client.force_login(request.getfixturevalue(name))
    for url in [
        reverse("trainings:offer"),
        reverse("trainings:offering_detail", args=[training.slug]),
        reverse("trainings:intake_create"),
        reverse("trainings:intake_thanks"),
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("name", ROLES)
def test_my_learning_wishes_shows_only_my_own(client, request, name, confirmed_booking, ouder):
    ParticipantFactory(booking=confirmed_booking, user=ouder, email=ouder.email)
    user = request.getfixturevalue(name)
    client.force_login(user)
    response = client.get(reverse("trainings:wish_list"))
    assert response.status_code == 200
    assert all(p.user == user for p in response.context["participations"])
    assert bool(response.context["participations"]) == (name == "ouder")


def test_my_learning_wishes_needs_a_login(client):
    response = client.get(reverse("trainings:wish_list"))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_a_trainer_cannot_book_on_behalf_of_a_centre(client, trainer):
    client.force_login(trainer)
    assert client.get(reverse("trainings:booking_create")).status_code == 404


@pytest.mark.parametrize("name", ["ouder", "medewerker", "manager", "manager_elders", "trainer"])
def test_the_navigation_shows_each_role_its_training_links(client, request, name):
    client.force_login(request.getfixturevalue(name))
    html = client.get(reverse("home")).content.decode()
    assert (reverse("trainings:intake_list") in html) == (name == "trainer")
    assert (reverse("trainings:booking_list") in html) == (name in ("trainer", "manager", "manager_elders"))
