"""The public contact / intake form: stored once, receipt by email, spam kept out, bad input answered."""

import contextlib
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from trainings import tasks
from trainings.forms import STAMP_SALT
from trainings.models import IntakeRequest

URL = reverse("trainings:intake_create")


def stamp(key="een-vaste-sleutel-123", seconds_ago=30):
    return signing.dumps({"key": key, "t": time.time() - seconds_ago}, salt=STAMP_SALT)


@pytest.fixture
def data(training):
    return {
        "name": "Karin Jansen",
        "email": "Karin.Jansen@Example.org",
        "phone": "06 12345678",
        "organisation": "Kinderopvang Het Zonnetje",
        "role": IntakeRequest.Role.MANAGER,
        "interest_choice": str(training.pk),
        "question": "Wat kost een training voor ons team en de oudercommissie?",
        "contact_method": IntakeRequest.ContactMethod.PHONE,
        "contact_time": "Dinsdagochtend",
        "consent": "on",
        "website": "",
        "stamp": stamp(),
    }


def test_form_renders_with_a_hidden_honeypot_and_a_stamp(client, training):
    response = client.get(URL + "?interest=" + training.slug)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="honeypot"' in html
    assert 'name="stamp"' in html
    assert f'<option value="{training.pk}" selected>' in html


def test_anyone_sends_a_request_and_gets_a_receipt(
    client, data, training, trainer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data)
    assert response.status_code == 302
    assert response.url == reverse("trainings:intake_thanks")
    intake = IntakeRequest.objects.get()
    assert intake.email == "karin.jansen@example.org"
    assert intake.interest == training
    assert intake.status == IntakeRequest.Status.NEW
    assert intake.consent_at is not None
    assert intake.receipt_sent_at is not None
    receipt = next(m for m in mailoutbox if m.to == ["karin.jansen@example.org"])
    assert "Wat kost een training" in receipt.body
    # Every trainer is told, in the portal and (by their preference) by email.
    assert Notification.objects.filter(recipient=trainer, url=intake.get_absolute_url()).exists()
    assert any(m.to == [trainer.email] for m in mailoutbox)
    assert client.get(response.url).status_code == 200


def test_something_else_is_a_request_without_interest(client, data):
    data["interest_choice"] = "other"
    client.post(URL, data)
    assert IntakeRequest.objects.get().interest is None


@pytest.mark.parametrize("missing", ["name", "email", "organisation", "role", "interest_choice", "question", "consent"])
def test_missing_fields_get_a_clear_message_and_keep_the_input(client, data, missing):
    del data[missing]
    response = client.post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors[missing]
    assert not IntakeRequest.objects.exists()
    if missing != "question":
        assert "Wat kost een training" in response.content.decode()


def test_invalid_email_is_refused(client, data):
    data["email"] = "karin@"
    response = client.post(URL, data)
    assert response.context["form"].errors["email"]
    assert not IntakeRequest.objects.exists()


def test_invalid_phone_is_refused(client, data):
    data["phone"] = "bel me maar"
    response = client.post(URL, data)
    assert response.context["form"].errors["phone"]


def test_a_20000_character_message_is_refused_with_a_message(client, data):
    data["question"] = "a" * 20_000
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "5000" in str(response.context["form"].errors["question"])
    assert not IntakeRequest.objects.exists()


def test_html_in_every_field_is_stored_as_text_and_rendered_escaped(
    client, data, trainer, django_capture_on_commit_callbacks
):
    script = "<script>alert(1)</script>"
    for field in ["name", "organisation", "question", "contact_time"]:
        data[field] = f"{script} {field}"
    data["contact_time"] = data["contact_time"][:200]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, data)
    intake = IntakeRequest.objects.get()
    assert intake.name.startswith(script)
    client.force_login(trainer)
    for url in [reverse("trainings:intake_list"), intake.get_absolute_url(), reverse("home")]:
        html = client.get(url).content.decode()
        assert script not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_html_is_escaped_when_the_form_comes_back_with_errors(client, data):
    data["name"] = '"><script>alert(1)</script>'
    data["email"] = "fout"
    html = client.post(URL, data).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_the_same_form_posted_twice_is_kept_once(client, data, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(URL, data)
        second = client.post(URL, data)
    assert first.status_code == second.status_code == 302
    assert IntakeRequest.objects.count() == 1
    assert len([m for m in mailoutbox if m.to == ["karin.jansen@example.org"]]) == 1


def test_the_same_question_sent_again_from_a_new_form_within_minutes_is_kept_once(client, data):
    client.post(URL, data)
    data["stamp"] = stamp(key="een-andere-sleutel-456")
    client.post(URL, data)
    assert IntakeRequest.objects.count() == 1


def test_the_same_question_much_later_is_a_new_request(client, data):
    client.post(URL, data)
    IntakeRequest.objects.update(created_at=timezone.now() - timedelta(hours=1))
    data["stamp"] = stamp(key="een-andere-sleutel-456")
    client.post(URL, data)
    assert IntakeRequest.objects.count() == 2


def test_a_filled_honeypot_looks_like_success_but_stores_nothing(client, data, trainer):
    data["website"] = "https://spam.example"
    response = client.post(URL, data)
    assert response.status_code == 302
    assert not IntakeRequest.objects.exists()
    assert not Notification.objects.exists()


def test_a_form_sent_faster_than_a_person_can_type_is_refused(client, data):
    data["stamp"] = stamp(seconds_ago=0)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].has_error(NON_FIELD_ERRORS, "too_fast")
    assert not IntakeRequest.objects.exists()
    # The same stamp comes back, so sending again a moment later stores the request once.
    assert response.context["form"]["stamp"].value() == data["stamp"]


@pytest.mark.parametrize("bad_stamp", ["", "not-a-stamp", "eyJrZXkiOiJ4In0:1abc:forged"])
def test_a_missing_or_forged_stamp_is_refused_and_replaced(client, data, bad_stamp):
    data["stamp"] = bad_stamp
    response = client.post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].has_error(NON_FIELD_ERRORS, "expired")
    assert not IntakeRequest.objects.exists()
    new_stamp = response.context["form"]["stamp"].value()
    assert new_stamp and new_stamp != bad_stamp
    assert signing.loads(new_stamp, salt=STAMP_SALT)["key"]


def test_more_than_five_requests_an_hour_from_one_address_are_refused(client, data):
    for n in range(5):
        data.update(email=f"ouder{n}@example.org", stamp=stamp(key=f"sleutel-nummer-{n:04d}"))
        assert client.post(URL, data).status_code == 302
    data.update(email="nog.een@example.org", stamp=stamp(key="sleutel-nummer-9999"))
    response = client.post(URL, data)
    assert response.status_code == 429
    assert response.context["form"].has_error(NON_FIELD_ERRORS, "rate_limited")
    assert IntakeRequest.objects.count() == 5


def test_more_than_five_requests_an_hour_for_one_email_address_are_refused(client, data):
    for n in range(5):
        data.update(question=f"Vraag {n}", stamp=stamp(key=f"sleutel-nummer-{n:04d}"))
        client.post(URL, data, REMOTE_ADDR=f"10.0.0.{n}")
    data.update(question="Vraag 6", stamp=stamp(key="sleutel-nummer-9999"))
    assert client.post(URL, data, REMOTE_ADDR="10.0.0.99").status_code == 429
    assert IntakeRequest.objects.count() == 5


def test_a_request_is_not_lost_when_the_mail_server_is_down(
    client, data, settings, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        assert client.post(URL, data).status_code == 302
    intake = IntakeRequest.objects.get()
    assert callbacks  # the receipt is queued only after the request is stored

    settings.EMAIL_BACKEND = "tests.trainings.mail.FailingBackend"
    with contextlib.suppress(OSError):
        tasks.send_intake_receipt.delay(intake.pk)  # retried, then given up for now
    intake.refresh_from_db()
    assert intake.receipt_sent_at is None

    # The periodic sweep sends it once the mail server is back.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    IntakeRequest.objects.update(created_at=timezone.now() - timedelta(minutes=30))
    tasks.send_pending_mail.delay()
    intake.refresh_from_db()
    assert intake.receipt_sent_at is not None
    assert [m.to for m in mailoutbox] == [["karin.jansen@example.org"]]
    tasks.send_pending_mail.delay()
    assert len(mailoutbox) == 1


def test_logged_in_people_may_use_the_form_too(client, data, ouder):
    client.force_login(ouder)
    assert client.post(URL, data).status_code == 302
    assert IntakeRequest.objects.count() == 1
