"""Health endpoints: `/health/live` for a load balancer, `/health/ready` (also `/health/`) for monitoring.

- `/health/live` answers 200 as long as the process serves requests; it touches no database or broker, so a
  database outage does not make a load balancer kill every web worker at once.
- `/health/ready` checks the database, the cache, the broker and the file storage, and how long the oldest
  waiting work has been waiting (mail and notifications in the outbox, reminders that are due): JSON, 200 when
  all is well, 503 when something is down or the queues are stuck (no worker or beat is running).

Both answer before the host check and the HTTPS redirect (a load balancer asks by IP over plain HTTP) and
before sessions and logins; they need no account and show nothing about children or people: only
component names, "ok"/"down", error class names and ages in seconds. Details of a failure go to the log.
"""

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import F
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

LIVE_PATH = "/health/live"
READY_PATHS = ("/health/", "/health/ready", "/health")


def max_queue_age():
    """Seconds the oldest waiting row may wait before the queue counts as stuck (beat runs every minute)."""
    return getattr(settings, "HEALTH_MAX_QUEUE_AGE", 600)


# Checks ------------------------------------------------------------------------------------------------------
def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    value = cache.get(key)
    cache.delete(key)
    if value != "ok":
        raise RuntimeError("the cache did not return what was stored")


def check_broker():
    from portal.celery import app

    timeout = getattr(settings, "HEALTH_BROKER_TIMEOUT", 2)
    with app.connection_for_write(connect_timeout=timeout) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)


def check_storage():
    name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as handle:
            if handle.read() != b"ok":
                raise RuntimeError("the storage did not return what was stored")
    finally:
        default_storage.delete(name)


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "storage": check_storage,
}


# Waiting work: the oldest row each queue still has to handle, by the time it became due ---------------------
def oldest_outbox_row():
    try:
        from notifications.models import OutboxMail
    except ImportError:
        return None
    return OutboxMail.objects.oldest_pending_since()


def oldest_event_reminder():
    from partnership.models import Reminder

    row = Reminder.objects.due().order_by("due_at").values_list("due_at", flat=True).first()
    return row


def oldest_training_reminder():
    from trainings.models import Booking, TrainingReminder

    now = timezone.now()
    return (
        TrainingReminder.objects.filter(
            due_at__lte=now,
            sent_at__isnull=True,
            session__starts_at__gt=now,
            session__booking__status=Booking.Status.CONFIRMED,
        )
        .exclude(failed_at__gte=F("due_at"))
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )


QUEUES = {
    "outbox": oldest_outbox_row,
    "event_reminders": oldest_event_reminder,
    "training_reminders": oldest_training_reminder,
}


def _run(name, check):
    started = time.monotonic()
    try:
        check()
    except Exception as error:
        logger.exception("Health check %s failed", name)
        result = {"status": "down", "error": type(error).__name__}
    else:
        result = {"status": "ok"}
    result["ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


def _queue(name, oldest):
    try:
        since = oldest()
    except Exception as error:
        logger.exception("Health check of queue %s failed", name)
        return {"status": "down", "error": type(error).__name__}
    if since is None:
        return {"status": "ok", "oldest_age_seconds": 0}
    age = max(0, int((timezone.now() - since).total_seconds()))
    status = "ok" if age <= max_queue_age() else "stuck"
    if status == "stuck":
        logger.warning("Queue %s has waited %s seconds", name, age, extra={"queue": name, "age_seconds": age})
    return {"status": status, "oldest_age_seconds": age}


@never_cache
def live(request):
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request):
    checks = {name: _run(name, check) for name, check in CHECKS.items()}
    database_up = checks["database"]["status"] == "ok"
    queues = {name: _queue(name, oldest) if database_up else {"status": "unknown"} for name, oldest in QUEUES.items()}
    healthy = all(c["status"] == "ok" for c in checks.values()) and all(q["status"] == "ok" for q in queues.values())
    body = {"status": "ok" if healthy else "fail", "checks": checks, "queues": queues}
    return JsonResponse(body, status=200 if healthy else 503)


class HealthCheckMiddleware:
    """Answers the health paths first: no host check, HTTPS redirect, session, login or language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            if request.path == LIVE_PATH:
                return live(request)
            if request.path in READY_PATHS:
                return ready(request)
        return self.get_response(request)
