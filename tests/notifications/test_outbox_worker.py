"""The outbox against a real Celery worker (with beat) and a Redis of the test's own, stopped and started.

Redis runs without persistence, so stopping it loses every message queued in it, as a crashed Redis without
its data would. Whatever happens to the broker, the people acting get a normal answer, and every mail
arrives exactly once once a worker runs again: the outbox rows are in the database, and beat's sweep
sends them.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from notifications.models import OutboxMail
from partnership.models import Observation, Theme
from tests.broker import broker_at

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]

ROOT = Path(__file__).resolve().parent.parent.parent
TO = re.compile(rb"^To: (.+?)\r?$", re.MULTILINE)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    """A redis-server on a port of its own, without persistence: a stop loses everything in it."""

    def __init__(self, tmp_path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tmp_path
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)  # no clean shutdown, no data kept
            self.process.wait(10)

    def queued(self):
        return redis.Redis.from_url(self.url).llen("celery")


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    server.start()
    with broker_at(server.url):
        yield server
    server.stop()


@pytest.fixture
def mail_dir(tmp_path):
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def worker(own_redis, mail_dir, tmp_path):
    """Start the worker with beat (`start()`); it is stopped at the end."""
    started = []
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if db.get("PASSWORD"):
        database_url = database_url.replace("@", f":{db['PASSWORD']}@", 1)

    def start():
        log = tmp_path / f"worker-{len(started)}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
            "PYTHONPATH": str(ROOT),
            "DEBUG": "1",
            "DATABASE_URL": database_url,
            "CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": own_redis.url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_FILE_PATH": str(mail_dir),
        }
        env.pop("EMAIL_URL", None)
        handle = open(log, "w")  # noqa: SIM115 - closed when the worker is stopped
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "worker", "--beat", "--pool=solo", "--loglevel=INFO",
             f"--schedule={tmp_path / 'beat-schedule'}", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-n", f"outbox{len(started)}@%h"],
            cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
        )  # fmt: skip
        started.append((process, handle, log))
        return process

    yield start
    for process, handle, _log in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        handle.close()


def mailed(mail_dir):
    counts = Counter()
    for path in mail_dir.iterdir():
        counts.update(address.decode() for address in TO.findall(path.read_bytes()))
    return counts


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


def observe(client, child, text):
    data = {
        "observed_on": timezone.localdate().isoformat(),
        "theme": Theme.PLAYING,
        "text": text,
        "token": str(uuid.uuid4()),
    }
    started = time.monotonic()
    response = client.post(reverse("partnership:observation_create", args=[child.pk]), data)
    return response, time.monotonic() - started


def invite(client, child, email):
    started = time.monotonic()
    response = client.post(reverse("accounts:invite_parent", args=[child.pk]), {"name": "Nieuwe Ouder", "email": email})
    return response, time.monotonic() - started


def test_every_mail_arrives_once_through_a_broker_outage_and_lost_redis_data(
    client, own_redis, worker, mail_dir, ouder, medewerker, kind
):
    medewerker.notification_preference = "instant"
    medewerker.save(update_fields=["notification_preference"])

    # No worker yet: the tasks queued for two actions wait in Redis...
    client.force_login(ouder)
    response, _took = observe(client, kind, "Eerste: voor de storing.")
    assert response.status_code == 302
    client.force_login(medewerker)
    response, _took = invite(client, kind, "voor.de.storing@example.org")
    assert response.status_code == 302
    assert own_redis.queued() >= 2

    # ...and are lost with Redis. While it is down, people go on working and get normal answers.
    own_redis.stop()
    client.force_login(ouder)
    response, took = observe(client, kind, "Tweede: tijdens de storing.")
    assert response.status_code == 302 and took < 5.0, took
    client.force_login(medewerker)
    response, took = invite(client, kind, "tijdens.de.storing@example.org")
    assert response.status_code == 302 and took < 5.0, took
    assert Observation.objects.count() == 2 and Invitation.objects.count() == 2
    assert OutboxMail.objects.pending().count() == 4

    # Redis comes back empty; a worker with beat starts. The sweep sends everything, once.
    own_redis.start()
    assert own_redis.queued() == 0
    worker()
    expected = {medewerker.email: 2, "voor.de.storing@example.org": 1, "tijdens.de.storing@example.org": 1}
    wait_for(lambda: set(mailed(mail_dir)) >= set(expected), timeout=90, what=f"mail to {sorted(expected)}")
    wait_for(lambda: not OutboxMail.objects.pending().exists(), timeout=30, what="an empty outbox")
    # The medewerker's second mail may follow the first by a sweep.
    wait_for(lambda: mailed(mail_dir)[medewerker.email] >= 2, timeout=30, what="both notification mails")
    time.sleep(5)  # two more sweeps: anything sent twice would show up now
    assert mailed(mail_dir) == expected
    assert OutboxMail.objects.filter(sent_at__isnull=False).count() == 4

    # With Redis up, a new action is carried out at once by the task queued on commit (no sweep needed).
    client.force_login(medewerker)
    response, _took = invite(client, kind, "na.de.storing@example.org")
    assert response.status_code == 302
    wait_for(lambda: "na.de.storing@example.org" in mailed(mail_dir), timeout=30, what="the mail after the outage")
    time.sleep(3)
    assert mailed(mail_dir)["na.de.storing@example.org"] == 1
