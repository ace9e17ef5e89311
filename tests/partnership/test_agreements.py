"""Agreements: the centre's house agreements kept by its manager, and child agreements both sides accept."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from children.models import AccessLog
from notifications.models import Notification
from partnership.models import CentreAgreement, ChildAgreement

from .event_factories import CentreAgreementFactory, ChildAgreementFactory

pytestmark = pytest.mark.django_db

EVERYONE = ["ouder", "ouder_buur", "medewerker", "manager", "ouder_elders", "medewerker_elders", "manager_elders"]
EVERYONE += ["trainer"]


@pytest.fixture
def house_rule(centrum, manager):
    return CentreAgreementFactory(
        centre=centrum, title="Brengen tot 9 uur", kind=CentreAgreement.Kind.DROP_IN, updated_by=manager
    )


@pytest.fixture
def goodbye(kind, ouder):
    return ChildAgreementFactory(child=kind, title="Zwaaien bij het raam", proposed_by=ouder)


def as_user(client, everyone, name):
    if name != "anonymous":
        client.force_login(everyone[name])
    return client


def expected(name, allowed):
    if name == "anonymous":
        return 302
    return 200 if name in allowed else 404


@pytest.mark.parametrize("name", [*EVERYONE, "anonymous"])
def test_overview_per_role(client, everyone, house_rule, goodbye, name):
    response = as_user(client, everyone, name).get(reverse("partnership:agreement_overview"))
    if name == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert ("Brengen tot 9 uur" in response.text) == (name in ["ouder", "ouder_buur", "medewerker", "manager"])
    assert ("Zwaaien bij het raam" in response.text) == (name in ["ouder", "medewerker", "manager"])


@pytest.mark.parametrize("name", [*EVERYONE, "anonymous"])
def test_only_the_manager_adds_centre_agreements(client, everyone, centrum, name):
    client = as_user(client, everyone, name)
    url = reverse("partnership:centre_agreement_create", args=[centrum.pk])
    assert client.get(url).status_code == expected(name, ["manager"])
    response = client.post(
        url, {"kind": "house", "title": "Koffie in de hal", "text": "Koffie staat klaar.", "position": 0}
    )
    assert CentreAgreement.objects.filter(title="Koffie in de hal").exists() == (name == "manager")
    if name == "manager":
        assert response.status_code == 302
        again = client.post(url, {"kind": "house", "title": "Koffie in de hal", "text": "Dubbel", "position": 0})
        assert again.status_code == 200, "a double submit is refused with a message"
        assert CentreAgreement.objects.filter(title="Koffie in de hal").count() == 1


@pytest.mark.parametrize("name", [*EVERYONE, "anonymous"])
def test_only_the_manager_edits_and_removes(client, everyone, house_rule, name):
    client = as_user(client, everyone, name)
    edit = reverse("partnership:centre_agreement_edit", args=[house_rule.pk])
    assert client.get(edit).status_code == expected(name, ["manager"])
    client.post(edit, {"kind": "drop_in", "title": "Brengen tot half 10", "text": "Later mag ook.", "position": 1})
    client.post(reverse("partnership:centre_agreement_delete", args=[house_rule.pk]))
    assert CentreAgreement.objects.filter(pk=house_rule.pk).exists() == (name != "manager")


@pytest.mark.parametrize("name", [*EVERYONE, "anonymous"])
def test_child_agreement_pages_per_role(client, everyone, kind, goodbye, name):
    client = as_user(client, everyone, name)
    allowed = ["ouder", "medewerker", "manager"]
    for url in (
        reverse("partnership:child_agreements", args=[kind.pk]),
        reverse("partnership:child_agreement_create", args=[kind.pk]),
        goodbye.get_absolute_url(),
        reverse("partnership:agreement_change", args=[goodbye.pk]),
    ):
        assert client.get(url).status_code == expected(name, allowed), url


@pytest.mark.parametrize("name", [*EVERYONE, "anonymous"])
def test_accept_and_end_per_role(client, everyone, goodbye, name):
    client = as_user(client, everyone, name)
    response = client.post(reverse("partnership:agreement_accept", args=[goodbye.pk]), {"version": goodbye.version})
    goodbye.refresh_from_db()
    assert (goodbye.status == ChildAgreement.Status.ACCEPTED) == (name in ["medewerker", "manager"])
    if name not in ["ouder", "medewerker", "manager", "anonymous"]:
        assert response.status_code == 404
    response = client.post(reverse("partnership:agreement_end", args=[goodbye.pk]))
    goodbye.refresh_from_db()
    assert (goodbye.status == ChildAgreement.Status.ENDED) == (name in ["ouder", "medewerker", "manager"])


def test_reads_by_staff_are_logged_reads_by_parents_not(client, ouder, medewerker, kind, goodbye):
    client.force_login(ouder)
    client.get(goodbye.get_absolute_url())
    assert not AccessLog.objects.exists()
    client.force_login(medewerker)
    client.get(reverse("partnership:child_agreements", args=[kind.pk]))
    assert AccessLog.objects.filter(user=medewerker, child=kind, what="agreements").exists()


def test_propose_suggest_a_change_accept(client, ouder, medewerker, kind, django_capture_on_commit_callbacks):
    review = timezone.localdate() + timedelta(weeks=8)
    client.force_login(ouder)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("partnership:child_agreement_create", args=[kind.pk]),
            {"topic": "sleeping", "title": "Slapen met knuffel", "text": "Beer mag mee.", "review_date": review},
        )
    agreement = ChildAgreement.objects.get()
    assert response.status_code == 302 and response.url == agreement.get_absolute_url()
    assert agreement.proposed_side == ChildAgreement.Side.HOME and agreement.awaiting_side == ChildAgreement.Side.CENTRE
    assert Notification.objects.filter(recipient=medewerker, url=agreement.get_absolute_url()).exists()

    # The proposer cannot accept their own proposal.
    client.post(reverse("partnership:agreement_accept", args=[agreement.pk]), {"version": agreement.version})
    agreement.refresh_from_db()
    assert agreement.status == ChildAgreement.Status.PROPOSED

    client.force_login(medewerker)
    page = client.get(agreement.get_absolute_url())
    assert "Accept this agreement" in page.text or "accepteren" in page.text.lower()
    response = client.post(
        reverse("partnership:agreement_change", args=[agreement.pk]),
        {"topic": "sleeping", "title": "Slapen met knuffel", "text": "Beer mag mee, in bed.", "review_date": review},
    )
    agreement.refresh_from_db()
    assert agreement.proposed_side == ChildAgreement.Side.CENTRE and agreement.proposed_by == medewerker
    assert agreement.status == ChildAgreement.Status.PROPOSED

    client.force_login(ouder)
    client.post(reverse("partnership:agreement_accept", args=[agreement.pk]), {"version": agreement.version})
    agreement.refresh_from_db()
    assert agreement.status == ChildAgreement.Status.ACCEPTED and agreement.accepted_by == ouder
    assert agreement.history.count() >= 3, "every step is kept in the history"


def test_a_change_without_changes_and_a_past_review_date_are_refused(client, ouder, goodbye):
    client.force_login(ouder)
    url = reverse("partnership:agreement_change", args=[goodbye.pk])
    data = {"topic": goodbye.topic, "title": goodbye.title, "text": goodbye.text, "review_date": goodbye.review_date}
    assert client.post(url, data).status_code == 200
    data["text"] = "Anders"
    data["review_date"] = timezone.localdate() - timedelta(days=1)
    response = client.post(url, data)
    assert response.status_code == 200 and "review_date" in response.context["form"].errors
    goodbye.refresh_from_db()
    assert goodbye.text != "Anders"


def test_double_proposal_is_refused(client, ouder, kind):
    client.force_login(ouder)
    data = {
        "topic": "goodbye",
        "title": "Zwaaien",
        "text": "Bij het raam.",
        "review_date": timezone.localdate() + timedelta(days=30),
    }
    url = reverse("partnership:child_agreement_create", args=[kind.pk])
    client.post(url, data)
    assert client.post(url, data).status_code == 200
    assert ChildAgreement.objects.count() == 1


def test_child_page_links_to_the_agreements(client, ouder, kind):
    client.force_login(ouder)
    response = client.get(kind.get_absolute_url())
    assert reverse("partnership:child_agreements", args=[kind.pk]) in response.text


def test_without_staff_on_the_group_the_manager_speaks_for_the_centre(kind, manager, ouder, groep):
    agreement = ChildAgreementFactory(child=kind, proposed_by=ouder)
    assert set(agreement.people_of(ChildAgreement.Side.CENTRE)) == {manager}
    assert set(agreement.people_of(ChildAgreement.Side.HOME)) == {ouder}
