"""The privacy statement: plain language in Dutch and English, with the person's own centre to contact."""

import pytest
from django.urls import reverse

from tests.people import PEOPLE


def test_anyone_can_read_it_and_the_footer_links_to_it(client, db):
    response = client.get(reverse("home"))
    assert reverse("children:privacy_statement") in response.content.decode()
    response = client.get(reverse("children:privacy_statement"))
    assert response.status_code == 200


def test_it_is_dutch_by_default_and_english_on_request(client, ouder):
    client.force_login(ouder)
    dutch = client.get(reverse("children:privacy_statement")).content.decode()
    assert 'lang="nl"' in dutch
    ouder.language = "en"
    ouder.save()
    english = client.get(reverse("children:privacy_statement")).content.decode()
    assert 'lang="en"' in english
    assert "What we store" in english and "Who sees it" in english and "How long" in english


@pytest.mark.parametrize("who", PEOPLE)
def test_it_names_the_persons_own_centre_and_its_contact(client, everyone, centrum, centrum_elders, who):
    centrum.contact_email = "privacy@boomgaard.example"
    centrum.retention_months = 36
    centrum.save()
    client.force_login(everyone[who])
    page = client.get(reverse("children:privacy_statement")).content.decode()
    at_centre_one = who in {"ouder", "ouder_buur", "medewerker", "manager"}
    assert ("privacy@boomgaard.example" in page) == at_centre_one
    assert (str(centrum) in page) == at_centre_one
    assert (str(centrum_elders) in page) == who.endswith("_elders")


def test_anonymous_visitors_see_no_centre(client, centrum):
    page = client.get(reverse("children:privacy_statement")).content.decode()
    assert str(centrum) not in page


@pytest.mark.parametrize("who", PEOPLE)
def test_my_privacy_page_per_role(client, everyone, who):
    client.force_login(everyone[who])
    response = client.get(reverse("children:my_privacy"))
    assert response.status_code == 200
    page = response.content.decode()
    if who.startswith("ouder"):
        child = everyone[who].guardianships.get().child
        assert reverse("children:consent_edit", args=[child.pk]) in page
    if who.startswith("manager"):
        assert "access-log" in page
    if who in {"medewerker", "medewerker_elders", "trainer"}:
        assert "/download/" not in page and "access-log" not in page


def test_demo_data_for_privacy_is_idempotent(db, settings):
    from django.core.management import call_command

    from children.models import AccessLog, Child, ConsentChange

    settings.DEBUG = True
    call_command("seed_demo")
    counts = (ConsentChange.objects.count(), AccessLog.objects.count(), Child.objects.count())
    call_command("seed_demo")
    assert (ConsentChange.objects.count(), AccessLog.objects.count(), Child.objects.count()) == counts
    assert counts[0] == 4 and counts[1] >= 5  # the privacy demo's five reads, beside other parts' reads
    assert Child.objects.get(first_name="Liam").end_date is not None
