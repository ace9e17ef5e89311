"""Health endpoints: a cheap liveness answer for the load balancer, a readiness report for monitoring."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.celery import app as celery_app
from tests.partnership.event_factories import ReminderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_like(settings):
    """As behind a real load balancer: DEBUG off, HTTPS redirect on, only the public host name allowed."""
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["samenspel.example.org"]


def test_live_answers_without_touching_the_database(client, production_like):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/health/live", HTTP_HOST="10.0.3.7:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert len(queries) == 0
    assert "no-cache" in response["Cache-Control"]


def test_ready_reports_every_component_as_json(client, production_like):
    response = client.get("/health/ready", HTTP_HOST="10.0.3.7:8000")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
        "storage": "ok",
    }
    assert {"outbox", "event_reminders", "training_reminders"} <= set(body["queues"])
    assert all(queue["oldest_age_seconds"] == 0 for queue in body["queues"].values())
    # The short address answers the same.
    assert client.get("/health/").json()["status"] == "ok"


def test_anonymous_visitors_are_not_sent_to_the_login(client):
    for path in ("/health/live", "/health/", "/health/ready"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"] == "application/json"


@pytest.fixture
def broker_down():
    saved = celery_app.conf.broker_url, celery_app.conf.broker_write_url
    # The discard port: nothing listens there.
    celery_app.conf.broker_url = celery_app.conf.broker_write_url = "redis://127.0.0.1:9/0"
    yield
    celery_app.conf.broker_url, celery_app.conf.broker_write_url = saved


def test_ready_answers_503_when_the_broker_is_down(client, broker_down, caplog):
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["broker"]["status"] == "down"
    assert body["checks"]["broker"]["error"]
    assert body["checks"]["database"]["status"] == "ok"
    # The address of the broker is in the log for the people who run it, not in the public answer.
    assert "127.0.0.1:9" not in response.content.decode()
    assert any("broker" in record.getMessage() for record in caplog.records)


def test_ready_answers_503_when_due_reminders_wait_too_long(client, settings, kind, ouder):
    settings.HEALTH_MAX_QUEUE_AGE = 600
    ReminderFactory(person=ouder, due_at=timezone.now() - timedelta(minutes=20))
    response = client.get("/health/ready")
    assert response.status_code == 503
    queue = response.json()["queues"]["event_reminders"]
    assert queue["status"] == "stuck"
    assert 20 * 60 <= queue["oldest_age_seconds"] < 22 * 60


def test_a_reminder_due_a_moment_ago_is_normal(client, ouder):
    ReminderFactory(person=ouder, due_at=timezone.now() - timedelta(seconds=30))
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["queues"]["event_reminders"]["oldest_age_seconds"] >= 30


def test_health_answers_name_no_person_or_child(client, kind, ouder):
    ReminderFactory(person=ouder, due_at=timezone.now() - timedelta(hours=2))
    text = client.get("/health/ready").content.decode()
    for secret in (kind.first_name, ouder.email, ouder.name):
        assert secret not in text


def test_post_is_not_a_health_check(client):
    response = client.post("/health/live")
    assert response.status_code in (403, 404, 405)


def test_ready_reports_mail_waiting_in_the_outbox(client, settings):
    from notifications.models import OutboxMail

    settings.HEALTH_MAX_QUEUE_AGE = 600
    OutboxMail.objects.create(task="partnership.tasks.notify_new_observation", args=[1])
    assert client.get("/health/ready").status_code == 200  # just written: the sweep has a minute
    OutboxMail.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=15))
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["queues"]["outbox"]["status"] == "stuck"
    # A row given up (failed) is no longer waiting: it is reported in the admin, not by the health check.
    OutboxMail.objects.update(failed_at=timezone.now())
    assert client.get("/health/ready").status_code == 200
