"""Two managers changing the centre's retention period at once: the second is refused, the first's value stays."""

from django.test import Client
from django.urls import reverse

from children.models import Centre, Membership
from tests.factories import UserFactory
from tests.fuzz.forms import forms_in


def opened(client, url):
    (form,) = [f for f in forms_in(client.get(url).content.decode()) if "retention_months" in f.fields]
    return form.defaults()


def test_the_second_manager_is_refused_and_the_first_value_stays(manager, centrum):
    colleague = UserFactory(email="manager3@example.org")
    Membership.objects.create(user=colleague, centre=centrum, role=Membership.Role.MANAGER)
    url = reverse("children:centre_privacy", args=[centrum.pk])
    first, second = Client(), Client()
    first.force_login(manager)
    second.force_login(colleague)
    first_form, second_form = opened(first, url), opened(second, url)

    assert first.post(url, {**first_form, "retention_months": "36"}).status_code == 302
    response = second.post(url, {**second_form, "retention_months": "12"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "stale_version" in [error.code for error in form.non_field_errors().as_data()]
    assert any("36" in error for error in form.errors["retention_months"])
    assert form["retention_months"].value() == "12"
    assert Centre.objects.get(pk=centrum.pk).retention_months == 36


def test_an_unchanged_round_trip_saves(manager, centrum):
    client = Client()
    client.force_login(manager)
    url = reverse("children:centre_privacy", args=[centrum.pk])
    assert client.post(url, opened(client, url)).status_code == 302
    assert Centre.objects.get(pk=centrum.pk).version == 2
