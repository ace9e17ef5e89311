"""The trainers' intake desk: list with filters, assignment, internal notes, answers by email, bookings."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from tests.factories import UserFactory
from trainings.models import Booking, IntakeAnswer, IntakeNote, IntakeRequest

from .factories import IntakeRequestFactory, OfferingFactory

OUTSIDERS = ["ouder", "medewerker", "manager", "manager_elders", "ouder_elders", "medewerker_elders"]


@pytest.fixture
def intake(training):
    return IntakeRequestFactory(interest=training, name="Karin Jansen", email="karin@example.org")


@pytest.fixture
def collega(db):
    return UserFactory(email="collega@example.org", name="Joris Trainer", is_trainer=True)


def urls(intake):
    return {
        "get": [
            reverse("trainings:intake_list"),
            reverse("trainings:intake_detail", args=[intake.pk]),
            reverse("trainings:intake_booking", args=[intake.pk]),
        ],
        "post": [
            reverse("trainings:intake_update", args=[intake.pk]),
            reverse("trainings:intake_assign_me", args=[intake.pk]),
            reverse("trainings:intake_note", args=[intake.pk]),
            reverse("trainings:intake_answer", args=[intake.pk]),
            reverse("trainings:intake_booking", args=[intake.pk]),
        ],
    }


@pytest.mark.parametrize("name", OUTSIDERS)
def test_nobody_but_trainers_reaches_the_desk(client, request, name, intake):
    client.force_login(request.getfixturevalue(name))
    for url in urls(intake)["get"]:
        assert client.get(url).status_code == 404, url
    for url in urls(intake)["post"]:
        assert client.post(url, {"status": "closed", "text": "x", "body": "x"}).status_code == 404, url
    intake.refresh_from_db()
    assert intake.status == IntakeRequest.Status.NEW
    assert not IntakeNote.objects.exists() and not IntakeAnswer.objects.exists()


def test_anonymous_is_sent_to_login(client, intake):
    for url in urls(intake)["get"]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("account_login") in response.url


def test_desk_lists_new_requests_first(client, trainer, training):
    old_new = IntakeRequestFactory(name="Oud maar nieuw")
    old_new.__class__.objects.filter(pk=old_new.pk).update(created_at=timezone.now() - timedelta(days=10))
    IntakeRequestFactory(name="Recent in behandeling", status=IntakeRequest.Status.IN_PROGRESS)
    IntakeRequestFactory(name="Recent nieuw")
    client.force_login(trainer)
    response = client.get(reverse("trainings:intake_list"))
    names = [i.name for i in response.context["page"]]
    assert names == ["Recent nieuw", "Oud maar nieuw", "Recent in behandeling"]
    assert response.context["new_count"] == 2


def test_desk_filters_by_status_and_interest(client, trainer, training):
    lecture = OfferingFactory(title="Lezing")
    IntakeRequestFactory(name="Training nieuw", interest=training)
    IntakeRequestFactory(name="Training gesloten", interest=training, status=IntakeRequest.Status.CLOSED)
    IntakeRequestFactory(name="Lezing nieuw", interest=lecture)
    IntakeRequestFactory(name="Iets anders", interest=None)
    client.force_login(trainer)

    def names(**params):
        response = client.get(reverse("trainings:intake_list"), params)
        return {i.name for i in response.context["page"]}

    assert names(status="closed") == {"Training gesloten"}
    assert names(interest=training.pk) == {"Training nieuw", "Training gesloten"}
    assert names(interest=training.pk, status="new") == {"Training nieuw"}
    assert names(interest="other") == {"Iets anders"}
    assert len(names(status="nonsense")) == 4  # an unknown filter shows everything rather than failing


def test_desk_uses_a_constant_number_of_queries(client, trainer, django_assert_max_num_queries):
    collega = UserFactory(is_trainer=True)
    IntakeRequestFactory.create_batch(2, assigned_to=collega)
    client.force_login(trainer)
    url = reverse("trainings:intake_list")
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    IntakeRequestFactory.create_batch(20, assigned_to=collega)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_trainer_reads_a_request_with_notes_and_answers(client, trainer, intake):
    IntakeNote.objects.create(request=intake, author=trainer, text="Teruggebeld, voicemail.")
    IntakeAnswer.objects.create(request=intake, author=trainer, body="Wij bellen u dinsdag.")
    client.force_login(trainer)
    html = client.get(intake.get_absolute_url()).content.decode()
    assert "Karin Jansen" in html and "Teruggebeld, voicemail." in html and "Wij bellen u dinsdag." in html


def test_trainer_assigns_a_request_to_themselves(client, trainer, intake):
    client.force_login(trainer)
    response = client.post(reverse("trainings:intake_assign_me", args=[intake.pk]))
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.assigned_to == trainer
    assert intake.status == IntakeRequest.Status.IN_PROGRESS


def test_trainer_passes_a_request_to_a_colleague_who_is_told(client, trainer, collega, intake):
    client.force_login(trainer)
    client.post(
        reverse("trainings:intake_update", args=[intake.pk]), {"status": "in_progress", "assigned_to": collega.pk}
    )
    intake.refresh_from_db()
    assert intake.assigned_to == collega
    assert Notification.objects.filter(recipient=collega, url=intake.get_absolute_url()).exists()
    assert not Notification.objects.filter(recipient=trainer, url=intake.get_absolute_url()).exists()


def test_only_trainers_can_be_assigned(client, trainer, manager, intake):
    client.force_login(trainer)
    response = client.post(
        reverse("trainings:intake_update", args=[intake.pk]), {"status": "new", "assigned_to": manager.pk}
    )
    assert response.status_code == 400
    assert response.context["update_form"].errors["assigned_to"]
    intake.refresh_from_db()
    assert intake.assigned_to is None


def test_closing_and_reopening_a_request(client, trainer, intake):
    client.force_login(trainer)
    url = reverse("trainings:intake_update", args=[intake.pk])
    client.post(url, {"status": "closed", "assigned_to": ""})
    intake.refresh_from_db()
    assert intake.status == IntakeRequest.Status.CLOSED and intake.closed_at is not None
    client.post(url, {"status": "waiting", "assigned_to": ""})
    intake.refresh_from_db()
    assert intake.closed_at is None


def test_internal_note_is_kept_once_when_posted_twice(client, trainer, intake):
    client.force_login(trainer)
    data = {"text": "Eerst de prijs nakijken.", "token": "0071c0de-0000-4000-8000-000000000001"}
    url = reverse("trainings:intake_note", args=[intake.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert list(intake.notes.values_list("text", "author")) == [("Eerst de prijs nakijken.", trainer.pk)]


def test_an_empty_note_is_refused(client, trainer, intake):
    client.force_login(trainer)
    response = client.post(
        reverse("trainings:intake_note", args=[intake.pk]),
        {"text": "", "token": "0071c0de-0000-4000-8000-000000000002"},
    )
    assert response.status_code == 400
    assert response.context["note_form"].errors["text"]


def test_trainer_answers_by_email_and_the_answer_is_kept(
    client, trainer, intake, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(trainer)
    data = {"body": "Dank voor uw vraag. Ik bel u dinsdag.", "token": "a1750e4d-0000-4000-8000-000000000001"}
    url = reverse("trainings:intake_answer", args=[intake.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
        assert client.post(url, data).status_code == 302  # a double click sends once
    answer = intake.answers.get()
    assert answer.sent_at is not None and answer.author == trainer
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["karin@example.org"]
    assert mail.reply_to == [trainer.email]
    assert "Ik bel u dinsdag." in mail.body
    intake.refresh_from_db()
    assert intake.status == IntakeRequest.Status.WAITING
    assert intake.assigned_to == trainer


def test_an_answer_with_html_is_mailed_as_text_and_shown_escaped(
    client, trainer, intake, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("trainings:intake_answer", args=[intake.pk]),
            {"body": "<b>Welkom</b>", "token": "a1750e4d-0000-4000-8000-000000000002"},
        )
    assert "<b>Welkom</b>" in mailoutbox[0].body
    html = client.get(intake.get_absolute_url()).content.decode()
    assert "&lt;b&gt;Welkom&lt;/b&gt;" in html


def test_trainer_turns_a_request_into_a_booking(client, trainer, intake, centrum, manager, training):
    client.force_login(trainer)
    url = reverse("trainings:intake_booking", args=[intake.pk])
    form = client.get(url).context["form"]
    assert form.initial["goals"] == intake.question
    data = {
        "offering": training.pk,
        "centre": centrum.pk,
        "expected_parents": "6",
        "expected_staff": "9",
        "location": "Appelstraat 12",
        "goals": "Betere gesprekken bij het halen.",
    }
    response = client.post(url, data)
    booking = Booking.objects.get()
    assert response.url == booking.get_absolute_url()
    assert booking.intake_request == intake
    assert booking.organisation == centrum.organisation
    assert booking.status == Booking.Status.PLANNING
    intake.refresh_from_db()
    assert intake.status == IntakeRequest.Status.PLANNED
    assert Notification.objects.filter(recipient=manager, url=booking.get_absolute_url()).exists()
    # Once made, the link leads to the booking; posting again makes no second one.
    assert client.get(url).url == booking.get_absolute_url()
    client.post(url, data)
    assert Booking.objects.count() == 1


def test_trainer_home_shows_new_requests_and_no_children(client, trainer, intake, kind, ouder):
    client.force_login(trainer)
    html = client.get(reverse("home")).content.decode()
    assert "Karin Jansen" in html
    assert reverse("trainings:intake_list") in html
    assert kind.first_name not in html
