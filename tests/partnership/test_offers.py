"""What parents would like to contribute: their own offers, staff browsing them, and a request for help."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from partnership.models import HelpRequest, ParentOffer

from .event_factories import EventFactory, HelpRequestFactory, ParentOfferFactory

pytestmark = pytest.mark.django_db

EVERYONE = ["ouder", "ouder_buur", "medewerker", "manager", "ouder_elders", "medewerker_elders", "manager_elders"]
EVERYONE += ["trainer"]


@pytest.fixture
def offer(ouder, centrum):
    return ParentOfferFactory(person=ouder, centre=centrum, kind=ParentOffer.Kind.COOKING, description="Pannenkoeken")


def as_user(client, everyone, name):
    if name != "anonymous":
        client.force_login(everyone[name])
    return client


def expected(name, allowed):
    if name == "anonymous":
        return 302
    return 200 if name in allowed else 404


@pytest.mark.parametrize("name", [*EVERYONE, "anonymous"])
def test_offer_list_per_role(client, everyone, offer, name):
    response = as_user(client, everyone, name).get(reverse("partnership:offer_list"))
    if name == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert ("Pannenkoeken" in response.text) == (name in ["ouder", "medewerker", "manager"])


@pytest.mark.parametrize("name", [*EVERYONE, "anonymous"])
def test_offer_detail_per_role(client, everyone, offer, name):
    response = as_user(client, everyone, name).get(offer.get_absolute_url())
    assert response.status_code == expected(name, ["ouder", "medewerker", "manager"])


@pytest.mark.parametrize("name", [*EVERYONE, "anonymous"])
def test_only_the_parent_changes_or_removes_their_offer(client, everyone, offer, centrum, name):
    client = as_user(client, everyone, name)
    edit = reverse("partnership:offer_edit", args=[offer.pk])
    assert client.get(edit).status_code == expected(name, ["ouder"])
    client.post(reverse("partnership:offer_delete", args=[offer.pk]))
    assert ParentOffer.objects.filter(pk=offer.pk).exists() == (name != "ouder")


@pytest.mark.parametrize("name", [*EVERYONE, "anonymous"])
def test_only_parents_make_offers(client, everyone, name):
    response = as_user(client, everyone, name).get(reverse("partnership:offer_create"))
    assert response.status_code == expected(name, ["ouder", "ouder_buur", "ouder_elders"])


def test_parent_offers_help_once(client, ouder, centrum):
    client.force_login(ouder)
    data = {"kind": "reading", "description": "Voorlezen in het Arabisch", "mornings": "on", "availability": "vrijdag"}
    response = client.post(reverse("partnership:offer_create"), data)
    assert response.status_code == 302
    offer = ParentOffer.objects.get()
    assert offer.person == ouder and offer.centre == centrum and offer.mornings and not offer.evenings
    again = client.post(reverse("partnership:offer_create"), data)
    assert again.status_code == 200
    assert ParentOffer.objects.count() == 1


def test_parent_cannot_offer_to_another_centre(client, ouder, centrum_elders):
    client.force_login(ouder)
    client.post(reverse("partnership:offer_create"), {"centre": centrum_elders.pk, "kind": "crafting"})
    assert not ParentOffer.objects.filter(centre=centrum_elders).exists()


def test_staff_filter_offers(client, medewerker, offer, ouder_buur, centrum):
    ParentOfferFactory(person=ouder_buur, centre=centrum, kind=ParentOffer.Kind.ODD_JOBS, mornings=False, weekends=True)
    client.force_login(medewerker)
    url = reverse("partnership:offer_list")
    assert len(client.get(url).context["page"]) == 2
    assert [o.kind for o in client.get(url, {"kind": "odd_jobs"}).context["page"]] == ["odd_jobs"]
    assert [o.kind for o in client.get(url, {"moment": "mornings"}).context["page"]] == ["cooking"]
    assert [o.kind for o in client.get(url, {"centre": centrum.pk, "moment": "weekends"}).context["page"]] == [
        "odd_jobs"
    ]


def test_offer_list_query_count_is_constant(client, medewerker, centrum, django_assert_max_num_queries):
    from tests.factories import UserFactory

    client.force_login(medewerker)
    for _ in range(2):
        ParentOfferFactory(person=UserFactory(), centre=centrum)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("partnership:offer_list"))
    for _ in range(15):
        ParentOfferFactory(person=UserFactory(), centre=centrum)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("partnership:offer_list"))


def test_staff_ask_a_parent_to_help_and_the_parent_answers(
    client, medewerker, ouder, offer, centrum, django_capture_on_commit_callbacks
):
    event = EventFactory(centre=centrum, title="Zomerfeest")
    client.force_login(medewerker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(offer.get_absolute_url(), {"event": event.pk, "message": "Wil je pannenkoeken bakken?"})
    assert response.status_code == 302
    help_request = HelpRequest.objects.get()
    assert help_request.asked_by == medewerker and help_request.event == event
    assert Notification.objects.filter(recipient=ouder, message__contains="Zomerfeest").exists()
    again = client.post(offer.get_absolute_url(), {"event": event.pk})
    assert again.status_code == 200 and HelpRequest.objects.count() == 1

    client.force_login(ouder)
    assert "Zomerfeest" in client.get(reverse("partnership:offer_list")).text
    client.post(reverse("partnership:help_request_answer", args=[help_request.pk]), {"answer": "yes"})
    help_request.refresh_from_db()
    assert help_request.answer == HelpRequest.Answer.YES and help_request.answered_at
    assert Notification.objects.filter(recipient=medewerker, message__contains="Zomerfeest").exists()


def test_staff_cannot_ask_help_for_an_event_of_another_centre(client, medewerker, offer, centrum_elders):
    event = EventFactory(centre=centrum_elders)
    client.force_login(medewerker)
    response = client.post(offer.get_absolute_url(), {"event": event.pk})
    assert response.status_code == 200
    assert not HelpRequest.objects.exists()


def test_a_parent_cannot_ask_help_through_an_offer(client, ouder, offer, centrum):
    event = EventFactory(centre=centrum)
    client.force_login(ouder)
    assert client.post(offer.get_absolute_url(), {"event": event.pk}).status_code == 404
    assert not HelpRequest.objects.exists()


@pytest.mark.parametrize("name", [*EVERYONE, "anonymous"])
def test_only_the_asked_parent_answers(client, everyone, offer, name):
    help_request = HelpRequestFactory(offer=offer, event__centre=offer.centre)
    response = as_user(client, everyone, name).post(
        reverse("partnership:help_request_answer", args=[help_request.pk]), {"answer": "no"}
    )
    help_request.refresh_from_db()
    assert (help_request.answer == HelpRequest.Answer.NO) == (name == "ouder")
    if name not in ("ouder", "anonymous"):
        assert response.status_code == 404
