"""Preparing a talk and keeping what was said: parents' prompts, the mentor's picks, the report, reactions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from partnership.models import ChildAgreement, Observation, TalkPreparation, TalkReaction, TalkReport

from .talk_factories import TalkRoundFactory, TalkSlotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def slot(groep, medewerker, kind, ouder):
    talk_round = TalkRoundFactory(group=groep, created_by=medewerker)
    return TalkSlotFactory(round=talk_round, child=kind, booked_by=ouder, starts_at=timezone.now() + timedelta(days=2))


def url(name, slot):
    return reverse(f"partnership:{name}", args=[slot.pk])


def test_parents_prepare_and_only_the_mentor_reads_it(client, slot, ouder, medewerker, manager):
    client.force_login(ouder)
    assert client.get(url("talk_prepare", slot)).status_code == 200
    answers = {"at_home": "Ze zingt de hele dag", "proud_of": "Ze fietst!", "worries": "", "questions": "Slapen?"}
    response = client.post(url("talk_prepare", slot), answers, follow=True)
    assert "Ze fietst!" in response.content.decode()
    preparation = TalkPreparation.objects.get()
    assert preparation.updated_by == ouder and preparation.questions == "Slapen?"
    assert Notification.objects.filter(recipient=medewerker).count() == 1
    client.force_login(medewerker)
    assert "Ze fietst!" in client.get(url("talk_detail", slot)).content.decode()
    client.force_login(manager)  # runs the round, is not the mentor
    page = client.get(url("talk_detail", slot))
    assert page.status_code == 200 and "Ze fietst!" not in page.content.decode()
    assert client.get(url("talk_prepare", slot)).status_code == 404


def test_edit_round_trips_and_a_double_submit_keeps_one_row(client, slot, ouder):
    client.force_login(ouder)
    data = {"at_home": "a", "proud_of": "b", "worries": "c", "questions": "d"}
    client.post(url("talk_prepare", slot), data)
    client.post(url("talk_prepare", slot), data)
    assert TalkPreparation.objects.count() == 1
    form = client.get(url("talk_prepare", slot)).context["form"]
    assert {name: form.initial[name] for name in data} == data


def test_mentor_picks_observations_and_sees_tips_and_agreements(client, slot, medewerker, kind, ouder):
    seen = Observation.objects.create(child=kind, author=ouder, side="home", theme="sleeping", text="Slaapt slecht")
    other = Observation.objects.create(child=kind, author=medewerker, side="centre", theme="playing", text="Bouwt")
    client.force_login(medewerker)
    page = client.get(url("talk_detail", slot))
    assert set(page.context["pick_form"].fields["observations"].queryset) == {seen, other}
    assert "agreements" in page.context and "tips" in page.context
    client.post(url("talk_topics", slot), {"observations": [seen.pk]})
    assert list(TalkReport.objects.get().observations.all()) == [seen]


def test_mentor_cannot_pick_another_childs_observation(client, slot, medewerker, kind_buur, ouder_buur):
    foreign = Observation.objects.create(child=kind_buur, author=ouder_buur, side="home", theme="other", text="x")
    client.force_login(medewerker)
    client.post(url("talk_topics", slot), {"observations": [foreign.pk]})
    assert not TalkReport.objects.filter(observations=foreign).exists()


def test_report_with_agreement_shared_and_answered(client, slot, medewerker, ouder, kind):
    client.force_login(medewerker)
    data = {
        "text": "Fijn gesprek over slapen.",
        "publish": "on",
        "agreement_title": "Knuffel mee naar bed",
        "agreement_text": "De knuffel gaat mee in de slaapzak.",
        "agreement_topic": "sleeping",
    }
    client.post(url("talk_report", slot), data)
    report = TalkReport.objects.get()
    assert report.published_at is not None and report.written_by == medewerker
    agreement = ChildAgreement.objects.get(talk=report)
    assert agreement.child == kind and agreement.status == ChildAgreement.Status.PROPOSED
    assert Notification.objects.filter(recipient=ouder, url=url("talk_detail", slot)).exists()

    client.force_login(ouder)
    page = client.get(url("talk_detail", slot)).content.decode()
    assert "Fijn gesprek over slapen." in page and "Knuffel mee naar bed" in page
    client.post(url("talk_react", slot), {"text": "Dank je wel!"})
    assert TalkReaction.objects.get().author == ouder
    assert Notification.objects.filter(recipient=medewerker, url=url("talk_detail", slot)).exists()
    assert client.get(url("talk_report", slot)).status_code == 404


def test_a_draft_report_is_not_for_the_parents(client, slot, medewerker, ouder):
    client.force_login(medewerker)
    client.post(url("talk_report", slot), {"text": "Concept"})
    client.force_login(ouder)
    assert "Concept" not in client.get(url("talk_detail", slot)).content.decode()
    assert client.post(url("talk_react", slot), {"text": "?"}).status_code == 404


def test_sharing_an_empty_report_is_refused(client, slot, medewerker):
    client.force_login(medewerker)
    response = client.post(url("talk_report", slot), {"text": " ", "publish": "on"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not TalkReport.objects.exists()


@pytest.mark.parametrize("name", ["ouder_buur", "ouder_elders", "medewerker_elders", "manager_elders", "trainer"])
def test_outsiders_get_404(client, request, name, slot):
    client.force_login(request.getfixturevalue(name))
    for view in ("talk_detail", "talk_prepare", "talk_report"):
        assert client.get(url(view, slot)).status_code == 404
    for view in ("talk_topics", "talk_react"):
        assert client.post(url(view, slot), {"text": "x"}).status_code == 404


def test_anonymous_goes_to_login(client, slot):
    response = client.get(url("talk_detail", slot))
    assert response.status_code == 302 and "login" in response["Location"]
