"""Bookings and the catalogue edited by two people at once: the second save is refused, nothing is overwritten."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.fuzz.forms import forms_in
from trainings.models import Booking, Offering

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_status_change_on_a_booking_that_changed_meanwhile_is_refused(manager, trainer, booking):
    page = logged_in(manager).get(booking.get_absolute_url()).content.decode()
    (cancel,) = [form for form in forms_in(page) if form.action.endswith("/status/")]
    # Meanwhile the trainer starts planning it.
    trainer_page = logged_in(trainer).get(booking.get_absolute_url()).content.decode()
    planning = next(
        form
        for form in forms_in(trainer_page)
        if form.action.endswith("/status/") and form.defaults()["status"] == "planning"
    )
    assert logged_in(trainer).post(planning.action, planning.defaults()).status_code == 302

    response = logged_in(manager).post(cancel.action, {**cancel.defaults(), "note": "Te duur"}, follow=True)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PLANNING
    assert "error" in [message.level_tag for message in response.context["messages"]]
    assert not booking.changes.filter(status=Booking.Status.CANCELLED).exists()


def test_an_unchanged_status_form_round_trip_saves(manager, booking):
    page = logged_in(manager).get(booking.get_absolute_url()).content.decode()
    (cancel,) = [form for form in forms_in(page) if form.action.endswith("/status/")]
    assert logged_in(manager).post(cancel.action, cancel.defaults()).status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.version) == (Booking.Status.CANCELLED, 2)


def test_two_trainers_confirming_at_once_the_second_is_refused(trainer, booking):
    colleague = trainer.__class__.objects.create_user(email="trainer2@example.org", password="x" * 12, is_trainer=True)
    url = reverse("trainings:booking_confirm", args=[booking.pk])
    first, second = logged_in(trainer), logged_in(colleague)

    def opened(client, day):
        (form,) = [f for f in forms_in(client.get(url).content.decode()) if "version" in f.fields]
        return {
            **form.defaults(),
            "sessions-0-starts_at": f"2031-03-{day}T19:30",
            "sessions-0-ends_at": f"2031-03-{day}T22:00",
        }

    first_form, second_form = opened(first, "04"), opened(second, "11")
    assert first.post(url, first_form).status_code == 302
    response = second.post(url, {**second_form, "trainer": colleague.pk}, follow=True)
    assert "error" in [message.level_tag for message in response.context["messages"]]
    booking.refresh_from_db()
    assert (booking.status, booking.trainer) == (Booking.Status.CONFIRMED, trainer)
    assert [s.starts_at.day for s in booking.sessions.all()] == [4]


def test_two_trainers_editing_the_catalogue_the_second_is_refused(trainer):
    offering = Offering.objects.create(
        kind="lecture", title="Lezing slapen", slug="lezing-slapen", summary="Over slapen."
    )
    colleague = trainer.__class__.objects.create_user(email="trainer2@example.org", password="x" * 12, is_trainer=True)
    url = reverse("trainings:offering_edit", args=[offering.pk])
    first, second = logged_in(trainer), logged_in(colleague)

    def opened(client):
        (form,) = [f for f in forms_in(client.get(url).content.decode()) if "version" in f.fields]
        return form.defaults()

    first_form, second_form = opened(first), opened(second)
    assert first.post(url, {**first_form, "summary": "Over slapen en wakker worden."}).status_code == 302
    response = second.post(url, {**second_form, "summary": "Over goed slapen."})
    assert response.status_code == 200
    assert any("Over slapen en wakker worden." in error for error in response.context["form"].errors["summary"])
    offering.refresh_from_db()
    assert offering.summary == "Over slapen en wakker worden."
