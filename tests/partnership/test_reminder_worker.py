"""Reminders against real Celery workers on the local Redis: killed mid-batch, two at once, down for a while.

Each reminder must land in the outbox exactly once. The workers read the committed rows of the test database
(hence `transaction=True`) and write their mail as files, through a mail backend that pauses before every
message so a worker can be killed while it is sending.
"""

import json
import os
import re
import signal
import subprocess
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from partnership.models import Reminder, Rsvp
from portal.celery import app as celery_app
from tests.factories import GuardianshipFactory, UserFactory

from .event_factories import EventFactory, ReminderFactory

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]

ROOT = Path(settings.BASE_DIR)
HEADER = re.compile(rb"^X-Samenspel-Reminder: (\d+)\r?$", re.MULTILINE)
BROKER_URL = os.environ.get("TEST_REDIS_URL") or os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"


@pytest.fixture
def broker():
    """The test Redis, and a queue of this test's own, so nothing else on that Redis is touched."""
    if not BROKER_URL.startswith("redis://"):
        pytest.skip("needs a Redis broker (CELERY_BROKER_URL or TEST_REDIS_URL)")
    client = redis.Redis.from_url(BROKER_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running")
    queue = f"samenspel-test-{uuid.uuid4().hex[:12]}"
    celery_app.conf.broker_url = BROKER_URL
    yield queue
    # The message of a killed worker stays unacknowledged; remove it with the queue.
    for tag, raw in client.hgetall("unacked").items():
        if json.loads(raw)[-1] == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


@pytest.fixture
def outbox(tmp_path):
    path = tmp_path / "outbox"
    path.mkdir()
    return path


@pytest.fixture
def workers(broker, outbox, tmp_path):
    """Start real workers with `start(slow=...)`; every worker still running is stopped at the end."""
    started = []
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if db.get("PASSWORD"):
        database_url = database_url.replace("@", f":{db['PASSWORD']}@", 1)

    def start(slow=0.0, name="w"):
        log = tmp_path / f"{name}-{len(started)}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.partnership.worker_settings",
            "PYTHONPATH": str(ROOT),
            "DEBUG": "1",
            "DATABASE_URL": database_url,
            "CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": BROKER_URL,
            "WORKER_TEST_QUEUE": broker,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_FILE_PATH": str(outbox),
            "SLOW_MAIL_SECONDS": str(slow),
            "REMINDER_BATCH_SIZE": "5",
        }
        env.pop("EMAIL_URL", None)
        handle = open(log, "w")  # noqa: SIM115 - closed when the worker is stopped
        process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "celery"),
                "-A",
                "portal",
                "worker",
                "--pool=solo",
                "-Q",
                broker,
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{name}{len(started)}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        started.append((process, handle))
        deadline = time.monotonic() + 40
        while "ready." not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"worker did not start:\n{log.read_text()}")
            time.sleep(0.1)
        return process

    yield start
    for process, handle in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        handle.close()


def dispatch(queue):
    """What beat does every minute."""
    celery_app.send_task("partnership.tasks.dispatch_reminders", queue=queue)


def mailed(outbox):
    """How often each reminder id occurs in the outbox."""
    counts = Counter()
    for path in outbox.iterdir():
        counts.update(int(pk) for pk in HEADER.findall(path.read_bytes()))
    return counts


def wait_until(condition, timeout=30, what="condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def parents_going_to(event, count):
    people = []
    for _ in range(count):
        parent = UserFactory()
        GuardianshipFactory(user=parent, child__group__centre=event.centre)
        event.respond(parent, Rsvp.Answer.YES)
        people.append(parent)
    return people


def due_event(centre, count):
    event = EventFactory(centre=centre, second_reminder_hours=None, nudge_hours=None)
    parents_going_to(event, count)
    Reminder.objects.filter(event=event).update(due_at=timezone.now() - timedelta(minutes=1))
    return event


def test_a_worker_killed_mid_batch_loses_and_repeats_nothing(broker, workers, outbox, centrum, ouder):
    event = due_event(centrum, 12)
    expected = set(Reminder.objects.filter(event=event).values_list("pk", flat=True))
    assert len(expected) == 12

    worker = workers(slow=0.5, name="killed")
    dispatch(broker)
    wait_until(lambda: sum(mailed(outbox).values()) >= 3, what="the first mails")
    time.sleep(0.15)  # the worker is now pausing inside the next send, its row locked and not committed
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(10)
    sent_before = set(Reminder.objects.filter(sent_at__isnull=False).values_list("pk", flat=True))
    assert 3 <= len(sent_before) < 12, "killed in the middle of the batch"
    assert set(mailed(outbox)) == sent_before, "what was mailed is exactly what is marked sent"

    # While no worker runs: a parent says no, an event starts, and a reminder of a later event falls due.
    withdrawn = Reminder.objects.filter(event=event, sent_at__isnull=True).first()
    event.respond(withdrawn.person, Rsvp.Answer.NO)
    started = EventFactory(centre=centrum, starts_at=timezone.now() - timedelta(minutes=5))
    Rsvp.objects.create(event=started, person=ouder, answer=Rsvp.Answer.YES)
    too_late = ReminderFactory(event=started, person=ouder, due_at=timezone.now() - timedelta(hours=1))
    later = EventFactory(centre=centrum, second_reminder_hours=None, nudge_hours=None)
    later.respond(ouder, Rsvp.Answer.YES)
    overdue = Reminder.objects.get(event=later, person=ouder)
    Reminder.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - timedelta(hours=3))
    expected = (expected - {withdrawn.pk}) | {overdue.pk}

    workers(slow=0, name="restarted")
    dispatch(broker)
    wait_until(lambda: set(mailed(outbox)) >= expected, what="the remaining mails")
    time.sleep(0.5)  # anything extra would show up now
    counts = mailed(outbox)
    assert set(counts) == expected
    assert set(counts.values()) == {1}, f"sent more than once: {[pk for pk, n in counts.items() if n > 1]}"
    assert too_late.pk not in counts
    assert withdrawn.pk not in counts


def test_two_workers_at_once_never_send_the_same_reminder_twice(broker, workers, outbox, centrum):
    events = [due_event(centrum, 10), due_event(centrum, 10)]
    expected = set(Reminder.objects.filter(event__in=events).values_list("pk", flat=True))
    assert len(expected) == 20

    workers(slow=0.05, name="first")
    workers(slow=0.05, name="second")
    for _ in range(4):  # overlapping runs, as with a duplicated beat tick
        dispatch(broker)
    wait_until(lambda: set(mailed(outbox)) >= expected, what="all mails")
    time.sleep(0.5)
    counts = mailed(outbox)
    assert set(counts) == expected
    assert set(counts.values()) == {1}, f"sent more than once: {[pk for pk, n in counts.items() if n > 1]}"
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()
