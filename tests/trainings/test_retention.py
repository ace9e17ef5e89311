"""Retention: closed intake requests are anonymised after a configurable period."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from trainings import tasks
from trainings.models import IntakeAnswer, IntakeNote, IntakeRequest

from .factories import IntakeRequestFactory


def closed(months_ago, **kwargs):
    return IntakeRequestFactory(
        status=IntakeRequest.Status.CLOSED, closed_at=timezone.now() - timedelta(days=31 * months_ago), **kwargs
    )


def test_closed_requests_older_than_the_period_are_anonymised(trainer):
    old = closed(13, name="Karin Jansen", email="karin@example.org", phone="0612345678")
    IntakeNote.objects.create(request=old, author=trainer, text="Belt terug")
    IntakeAnswer.objects.create(request=old, author=trainer, body="Beste Karin", sent_at=timezone.now())
    recent = closed(11)
    open_old = IntakeRequestFactory(status=IntakeRequest.Status.WAITING)
    IntakeRequest.objects.filter(pk=open_old.pk).update(created_at=timezone.now() - timedelta(days=800))

    assert tasks.anonymise_closed_intake_requests.delay().get() == 1

    old.refresh_from_db()
    assert (old.name, old.email, old.phone, old.organisation, old.question) == ("", "", "", "", "")
    assert old.anonymised_at is not None
    assert not old.notes.exists()
    assert old.answers.get().body == ""
    for other in (recent, open_old):
        other.refresh_from_db()
        assert other.anonymised_at is None and other.email
    assert tasks.anonymise_closed_intake_requests.delay().get() == 0


def test_the_period_is_a_setting(db, settings):
    settings.TRAININGS_INTAKE_RETENTION_MONTHS = 1
    request = closed(2)
    tasks.anonymise_closed_intake_requests.delay()
    request.refresh_from_db()
    assert request.anonymised_at is not None


def test_an_anonymised_request_shows_no_personal_data_on_the_desk(client, trainer):
    request = closed(13, name="Karin Jansen")
    tasks.anonymise_closed_intake_requests.delay()
    client.force_login(trainer)
    html = client.get(request.get_absolute_url()).content.decode()
    assert "Karin Jansen" not in html
    assert (
        client.post(
            f"/trainings/intake/{request.pk}/answer/",
            {"body": "Hallo", "token": "0e7e4710-0000-4000-8000-000000000001"},
        ).status_code
        == 404
    )


def test_default_period_is_twelve_months_and_the_task_is_on_the_beat():
    assert settings.TRAININGS_INTAKE_RETENTION_MONTHS == 12
    tasks_on_beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "trainings.tasks.anonymise_closed_intake_requests" in tasks_on_beat
    assert "trainings.tasks.send_pending_mail" in tasks_on_beat
