"""The public training offer and the catalogue that trainers edit in the portal."""

import pytest
from django.urls import reverse

from trainings.models import Offering

from .factories import OfferingFactory, ProgrammeStepFactory, ThemeFactory


@pytest.fixture
def catalogue(training):
    ProgrammeStepFactory(offering=training, title="Inventarisatie van leerwensen", position=2)
    ProgrammeStepFactory(offering=training, title="Kennismaking met management", position=1)
    ThemeFactory(offering=training, title="Ik-boodschappen en actief luisteren")
    OfferingFactory(kind=Offering.Kind.LECTURE, title="Lezing voor ouders", slug="lezing")
    OfferingFactory(kind=Offering.Kind.WORKSHOP, title="Verborgen workshop", slug="verborgen", is_published=False)
    return training


def test_anyone_reads_the_offer_with_steps_themes_and_activities(client, catalogue):
    response = client.get(reverse("trainings:offer"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Samen opvoeden" in html
    assert html.index("Kennismaking met management") < html.index("Inventarisatie van leerwensen")
    assert "Ik-boodschappen en actief luisteren" in html
    assert "Lezing voor ouders" in html
    assert "Verborgen workshop" not in html


def test_offer_without_catalogue_shows_an_empty_state(client, db):
    response = client.get(reverse("trainings:offer"))
    assert response.status_code == 200
    assert b"empty-state" in response.content


def test_offer_page_has_a_constant_number_of_queries(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(reverse("trainings:offer"))
    for _ in range(5):
        offering = OfferingFactory()
        ProgrammeStepFactory.create_batch(3, offering=offering)
        ThemeFactory.create_batch(3, offering=offering)
    with django_assert_max_num_queries(4):
        client.get(reverse("trainings:offer"))


def test_offering_detail_is_public_but_unpublished_items_are_not(client, catalogue, trainer):
    assert client.get(reverse("trainings:offering_detail", args=[catalogue.slug])).status_code == 200
    assert client.get(reverse("trainings:offering_detail", args=["verborgen"])).status_code == 404
    client.force_login(trainer)
    assert client.get(reverse("trainings:offering_detail", args=["verborgen"])).status_code == 200


def test_manager_gets_a_booking_button_on_the_offering(client, catalogue, manager, ouder):
    url = reverse("trainings:offering_detail", args=[catalogue.slug])
    booking_link = reverse("trainings:booking_create").encode()
    client.force_login(manager)
    assert booking_link in client.get(url).content
    client.force_login(ouder)
    assert booking_link not in client.get(url).content


@pytest.mark.parametrize(
    "name", ["ouder", "medewerker", "manager", "manager_elders", "ouder_elders", "medewerker_elders"]
)
def test_only_trainers_reach_the_catalogue_editor(client, request, name, catalogue):
    client.force_login(request.getfixturevalue(name))
    assert client.get(reverse("trainings:catalogue")).status_code == 404
    assert client.get(reverse("trainings:offering_edit", args=[catalogue.pk])).status_code == 404
    assert client.get(reverse("trainings:offering_create")).status_code == 404


def test_anonymous_is_sent_to_login_for_the_catalogue_editor(client, catalogue):
    response = client.get(reverse("trainings:catalogue"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def _formset_data(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{key}": value for key, value in row.items()})
    return data


def test_trainer_adds_an_offering_with_steps_and_themes(client, trainer, db):
    client.force_login(trainer)
    assert client.get(reverse("trainings:offering_create")).status_code == 200
    data = {
        "kind": Offering.Kind.TRAINING,
        "title": "Samen opvoeden",
        "summary": "Ouders en professionals samen.",
        "position": "0",
        "is_published": "on",
        **_formset_data("steps", [{"position": "1", "title": "Kennismaking"}, {"position": "0", "title": ""}]),
        **_formset_data("themes", [{"position": "1", "title": "Feedback geven en ontvangen"}]),
    }
    response = client.post(reverse("trainings:offering_create"), data)
    assert response.status_code == 302
    offering = Offering.objects.get()
    assert offering.slug == "samen-opvoeden"
    assert [s.title for s in offering.steps.all()] == ["Kennismaking"]
    assert [t.title for t in offering.themes.all()] == ["Feedback geven en ontvangen"]


def test_trainer_edits_and_removes_a_step(client, trainer, catalogue):
    client.force_login(trainer)
    steps = list(catalogue.steps.all())
    theme = catalogue.themes.get()
    data = {
        "kind": catalogue.kind,
        "title": "Samen opvoeden, vernieuwd",
        "summary": catalogue.summary,
        "position": "0",
        "is_published": "on",
        **_formset_data(
            "steps",
            [
                {"id": steps[0].pk, "position": "1", "title": "Kennismaking met iedereen"},
                {"id": steps[1].pk, "position": "2", "title": steps[1].title, "DELETE": "on"},
            ],
            initial=2,
        ),
        **_formset_data("themes", [{"id": theme.pk, "position": "1", "title": theme.title}], initial=1),
    }
    response = client.post(reverse("trainings:offering_edit", args=[catalogue.pk]), data)
    assert response.status_code == 302, response.content.decode()
    catalogue.refresh_from_db()
    assert catalogue.title == "Samen opvoeden, vernieuwd"
    assert catalogue.slug == "samen-opvoeden"  # links stay valid
    assert [s.title for s in catalogue.steps.all()] == ["Kennismaking met iedereen"]


def test_catalogue_form_keeps_input_on_errors(client, trainer, db):
    client.force_login(trainer)
    data = {
        "kind": Offering.Kind.TRAINING,
        "title": "<b>Vet</b>",
        "summary": "",
        "position": "0",
        **_formset_data("steps", []),
        **_formset_data("themes", []),
    }
    response = client.post(reverse("trainings:offering_create"), data)
    assert response.status_code == 200
    assert "&lt;b&gt;Vet&lt;/b&gt;" in response.content.decode()
    assert not Offering.objects.exists()
