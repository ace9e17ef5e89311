"""Structured logs: a request id on every line of a request and in the tasks it queues; errors to Sentry only
when configured, and then without personal data."""

import io
import json
import logging
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery import shared_task
from django.http import HttpResponse
from django.urls import path

from portal.celery import app as celery_app
from portal.logs import JsonFormatter, RequestIdFilter, current_request_id, logging_config
from tests.broker import broker_at

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")]
ROOT = Path(__file__).resolve().parent.parent

BROKER_URL = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
log = logging.getLogger("tests.request_log")


@shared_task(name="tests.test_logs.noted")
def noted():
    log.info("in the task")


def a_page_that_logs(request):
    log.info("doing the work", extra={"step": 2})
    noted.delay()
    return HttpResponse("done")


urlpatterns = [path("logs-test/", a_page_that_logs)]


@pytest.fixture
def json_lines():
    """The production handler (JSON formatter and request-id filter), writing into a buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    root.removeHandler(handler)


@pytest.mark.urls("tests.test_logs")
def test_every_line_of_a_request_carries_its_id(client, json_lines):
    response = client.get("/logs-test/", HTTP_X_REQUEST_ID="lb-4711")
    assert response["X-Request-ID"] == "lb-4711"
    lines = [line for line in json_lines() if line["logger"] == "tests.request_log"]
    # The page's own line and the line of the task it queued (run in-process in the tests).
    assert [line["message"] for line in lines] == ["doing the work", "in the task"]
    assert {line["request_id"] for line in lines} == {"lb-4711"}
    assert lines[0]["step"] == 2 and lines[0]["level"] == "INFO" and lines[0]["time"]
    assert current_request_id() is None  # nothing leaks into the next request


@pytest.mark.urls("tests.test_logs")
def test_a_request_without_an_id_gets_one(client, json_lines):
    first = client.get("/logs-test/")["X-Request-ID"]
    second = client.get("/logs-test/")["X-Request-ID"]
    assert len(first) == 32 and first != second
    assert {line["request_id"] for line in json_lines() if line["logger"] == "tests.request_log"} == {first, second}


@pytest.mark.urls("tests.test_logs")
def test_a_forged_id_is_replaced(client, json_lines):
    forged = 'x"}\n{"level": "CRITICAL'
    response = client.get("/logs-test/", HTTP_X_REQUEST_ID=forged)
    assert response["X-Request-ID"] != forged and len(response["X-Request-ID"]) == 32
    assert all(
        line["request_id"] == response["X-Request-ID"] for line in json_lines() if line["logger"] == "tests.request_log"
    )


def test_text_lines_in_development_and_json_lines_in_production():
    development = logging_config(json_lines=False)
    production = logging_config(json_lines=True)
    assert development["handlers"]["console"]["formatter"] == "text"
    assert "%(request_id)s" in development["formatters"]["text"]["format"]
    assert production["handlers"]["console"]["formatter"] == "json"


def test_exceptions_are_one_json_line():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed: %s", ("here",), None)
    try:
        raise ValueError("boom")
    except ValueError:
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "failed: here" and "ValueError: boom" in entry["exception"]


@pytest.fixture
def test_queue():
    """A queue of this test's own on the test Redis, removed afterwards."""
    client = redis.Redis.from_url(BROKER_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running")
    queue = f"samenspel-test-{uuid.uuid4().hex[:12]}"
    with broker_at(BROKER_URL, eager=celery_app.conf.task_always_eager):
        yield client, queue
    client.delete(queue, f"_kombu.binding.{queue}")


def test_a_queued_task_carries_the_request_id_in_its_headers(test_queue):
    client, queue = test_queue
    from portal.logs import reset_request_id, set_request_id

    token = set_request_id("req-123")
    try:
        celery_app.send_task("tests.test_logs.noted", queue=queue)
    finally:
        reset_request_id(token)
    celery_app.send_task("tests.test_logs.noted", queue=queue)  # outside a request: no id
    messages = [json.loads(raw) for raw in client.lrange(queue, 0, -1)]
    ids = sorted(str(message["headers"].get("request_id")) for message in messages)
    assert ids == ["None", "req-123"]


def test_sentry_is_off_without_a_dsn_and_sends_no_personal_data_with_one(tmp_path):
    """In a fresh process: no DSN, no client; with a DSN, the client keeps users, bodies and locals out."""
    script = (
        "import django, sentry_sdk; django.setup(); c = sentry_sdk.get_client(); o = c.options;"
        "print(c.is_active(), o['send_default_pii'], o['max_request_body_size'], o['include_local_variables'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "SENTRY_DSN"}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    off = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert off.returncode == 0, off.stderr
    assert off.stdout.split()[0] == "False"
    env["SENTRY_DSN"] = "https://public@sentry.invalid/1"
    on = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert on.returncode == 0, on.stderr
    assert on.stdout.split() == ["True", "False", "never", "False"]


@pytest.mark.worker
def test_the_worker_logs_the_request_id_of_the_task_it_runs(test_queue, tmp_path):
    """A real worker, in production log format: its lines about the task carry the id of the request."""
    client, queue = test_queue
    from portal.logs import reset_request_id, set_request_id

    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PYTHONPATH": str(ROOT),
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "LOG_FORMAT": "json",
    }
    with open(log, "w") as handle:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "-Q", queue,
             "--include=tests.test_logs", "--loglevel=INFO", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-n", f"{queue}@%h"],
            cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            token = set_request_id("req-from-web")
            try:
                celery_app.send_task("tests.test_logs.noted", queue=queue)
            finally:
                reset_request_id(token)
            deadline = time.monotonic() + 60
            while "in the task" not in log.read_text():
                assert worker.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        finally:
            worker.terminate()
            worker.wait(20)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    task_lines = [line for line in lines if line["message"] in ("in the task",) or "started" in line["message"]]
    assert {line["request_id"] for line in task_lines} == {"req-from-web"}, lines
    assert any(line["logger"] == "portal.tasks" and line.get("task") == "tests.test_logs.noted" for line in lines)


def test_django_s_own_line_about_a_missing_page_carries_the_id(client, json_lines):
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="lb-404")
    [line] = [line for line in json_lines() if line["logger"] == "django.request"]
    assert line["request_id"] == "lb-404" and line["level"] == "WARNING"
    assert current_request_id() is None


def test_gunicorn_writes_json_access_lines_with_the_request_id(tmp_path):
    """The production web server's access log, as the image runs it."""
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "samenspel.example.org",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
        "VAR_DIR": str(tmp_path),
    }
    env.pop("LOG_FORMAT", None)
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as handle:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:portal.gunicorn", "portal.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/health/live", headers={"X-Request-ID": "lb-77"})
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - a local server
                        assert response.headers["X-Request-ID"] == "lb-77"
                    break
                except OSError:
                    assert server.poll() is None and time.monotonic() < deadline, log.read_text()
                    time.sleep(0.2)
            deadline = time.monotonic() + 10
            while "gunicorn.access" not in log.read_text() and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            server.terminate()
            server.wait(20)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    assert access and access[0]["request_id"] == "lb-77"
    assert access[0]["path"] == "/health/live" and access[0]["status"] == 200
