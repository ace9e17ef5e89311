"""Pages for a signed-in person are never kept by a shared cache or written to the browser's disk."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_signed_in_page_is_private_no_store(client, ouder, medewerker, manager, kind):
    pages = {
        ouder: [
            reverse("home"),
            reverse("partnership:child_detail", args=[kind.pk]),
            reverse("children:child_profile_edit", args=[kind.pk]),
            reverse("partnership:agreement_overview"),
        ],
        medewerker: [reverse("partnership:group_overview"), reverse("partnership:event_list")],
        manager: [reverse("children:centre_detail", args=[kind.group.centre_id])],
    }
    for person, urls in pages.items():
        client.force_login(person)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            directives = {d.strip() for d in response["Cache-Control"].split(",")}
            assert {"private", "no-store"} <= directives, (url, response["Cache-Control"])


def test_a_redirect_and_an_error_page_for_a_signed_in_person_too(client, ouder, kind_elders):
    client.force_login(ouder)
    missing = client.get(reverse("partnership:child_detail", args=[kind_elders.pk]))
    assert missing.status_code == 404
    assert "no-store" in missing["Cache-Control"]


def test_public_pages_may_be_cached(client):
    response = client.get(reverse("trainings:offer"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_learning_wish_link_without_login_is_not_stored_either(client, db):
    from tests.trainings.factories import BookingFactory, ParticipantFactory

    participant = ParticipantFactory(booking=BookingFactory(), email="gast@example.org", role="parent")
    response = client.get(participant.get_absolute_url())
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
