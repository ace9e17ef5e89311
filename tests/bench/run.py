"""`make bench`: the portal under load, on its own database and servers.

    python -m tests.bench.run [--size 1000000] [--children N] [--duration 20]

Creates the database `<DATABASE_URL's name>_bench`, bulk-loads centres, children and observations, starts
gunicorn as in production (3 sync workers, DEBUG off, collected static files) and measures with wrk at 16
connections: a child's timeline (logged in as staff of the child's group) against the floor, a logged-in
page with the base layout only. The timeline's latency is measured at 10 000 observations and again at the
full size; at the full size every main page (tests.bench.pages) is measured in one run against the floor and
a bare logged-in page (a one-line template, no context processors), with its number of queries.
Then 10 000 due event reminders go through a real Celery worker on Redis into a file outbox, and
the floor page is measured again while eight clients keep uploading the heaviest photos (tests.bench.uploads).
Prints a table and writes bench-results.json.
"""

import argparse
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
SECRET = "bench-only-secret-key-" + "x" * 40  # noqa: S105 - a throwaway database on this machine
SMALL_TOTAL = 10_000
LARGE_CHILD = 5_000
SMALL_CHILD = 5
CONNECTIONS = 16
WORKERS = 3  # as in the Dockerfile and docker-compose.yml
REMINDERS = 10_000
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("BENCH %d %d %d %.1f %.1f %.1f\\n", summary.requests, summary.duration, errors,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def bench_database_url():
    url = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/samenspel"))
    if not url.scheme.startswith("postgres"):
        sys.exit("make bench needs Postgres: set DATABASE_URL")
    return urlunparse(url._replace(path=url.path.rstrip("/") + "_bench")), url


def server_env(database_url, var_dir, outbox):
    """Production-like settings for gunicorn and the worker: DEBUG off, manifest static files."""
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="tests.bench.settings",
        SECURE_SSL_REDIRECT="0",
        STATIC_MANIFEST="1",
        VAR_DIR=str(var_dir),
        CELERY_TASK_ALWAYS_EAGER="0",
        EMAIL_FILE_PATH=str(outbox),
        LOG_LEVEL="WARNING",
    )
    env.pop("EMAIL_URL", None)
    return env


def setup_django(database_url):
    os.environ.update(
        DEBUG="1",
        SECRET_KEY=SECRET,
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="tests.bench.settings",
        CELERY_TASK_ALWAYS_EAGER="0",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the in-process test client in, mail to memory


def recreate_database(base_url, name):
    import psycopg2

    admin = psycopg2.connect(
        dbname="postgres",
        user=base_url.username,
        password=base_url.password,
        host=base_url.hostname,
        port=base_url.port or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, cookie, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return fetch(url, cookie)
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def fetch(url, cookie):
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - our own local server
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, response.read().decode()


def wrk(url, cookie, duration):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}s", "--timeout", "30s", "-s", script.name]
    output = subprocess.run(
        [*command, "-H", f"Cookie: {cookie}", url], capture_output=True, text=True, check=True
    ).stdout
    os.unlink(script.name)
    requests, micros, errors, p50, p95, p99 = re.search(r"BENCH (\d+) (\d+) (\d+) (\S+) (\S+) (\S+)", output).groups()
    return {
        "rps": round(int(requests) / (int(micros) / 1e6), 1),
        "p50_ms": round(float(p50) / 1000, 1),
        "p95_ms": round(float(p95) / 1000, 1),
        "p99_ms": round(float(p99) / 1000, 1),
        "errors": int(errors),
        "requests": int(requests),
    }


class Gunicorn:
    def __init__(self, env):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "portal.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(WORKERS),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def log(text):
    print(text, file=sys.stderr, flush=True)


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "postgres": postgres.split()[0],
        "os": platform.platform(terse=True),
    }


def session_cookie(user):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def count_queries(user, path):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    client.get(path)  # warm caches that a running server has warm too
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured.captured_queries)


def measure(env, cookie, paths, duration, floor_beside=None):
    """`paths`: {name: path} measured with `cookie`, or {name: (cookie, path)} each with its own.

    `floor_beside` (a path): the floor page is measured again right before each page, for half as long, and
    the page's `floor_rps` is that figure: on a shared machine the load changes from minute to minute, and a
    page is only fairly compared with a floor measured under the same load."""
    server = Gunicorn(env)
    results = {}
    try:
        for name, target in paths.items():
            page_cookie, path = target if isinstance(target, tuple) else (cookie, target)
            status, body = wait_for(server.base + path, page_cookie)
            assert status == 200 and "Samenspel" in body, f"{path} answered {status}"
            floor = None
            if floor_beside and path != floor_beside:
                floor = wrk(server.base + floor_beside, cookie, max(3, duration // 2))
            # Warm up every worker, and let the requests queued by the previous run drain.
            wrk(server.base + path, page_cookie, 3)
            results[name] = wrk(server.base + path, page_cookie, duration)
            if floor is not None:
                results[name]["floor_rps"] = floor["rps"]
            log(f"  {name}: {results[name]['rps']} requests/s, p95 {results[name]['p95_ms']} ms")
        return results
    finally:
        server.stop()


def page_figures(measured, queries):
    """{page: {rps, p50_ms, p95_ms, vs_floor, queries}} against the floor page measured right before it (or the
    run's own floor figure)."""
    figures = {}
    for name, run in measured.items():
        if name in ("floor", "bare"):
            continue
        floor = run.get("floor_rps", measured["floor"]["rps"])
        figures[name] = {
            "rps": run["rps"],
            "p50_ms": run["p50_ms"],
            "p95_ms": run["p95_ms"],
            "vs_floor": round(run["rps"] / floor, 2) if floor else None,
            "floor_rps": floor,
            "queries": queries.get(name),
        }
    return figures


def reminders_through_worker(env, outbox, world):
    """10 000 due reminders (100 events, 100 parents each, all answered yes) through a real worker."""
    from django.conf import settings
    from django.utils import timezone

    from accounts.models import User
    from partnership.models import Event, Reminder, Rsvp
    from partnership.tasks import dispatch_reminders

    if not settings.CELERY_BROKER_URL.startswith("redis"):
        return {"reminders_skipped": "no Redis broker (CELERY_BROKER_URL)"}
    shutil.rmtree(outbox, ignore_errors=True)
    outbox.mkdir(parents=True)
    per_event = 100
    events_count = REMINDERS // per_event
    starts = timezone.now() + timedelta(days=1)
    User.objects.filter(pk__in=world["parents"]).update(notification_preference="instant", language="nl")
    events = Event.objects.bulk_create(
        Event(
            centre_id=world["centres"][n % len(world["centres"])],
            kind="parent_evening",
            title=f"Ouderavond {n}",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
        )
        for n in range(events_count)
    )
    parents = world["parents"]
    pairs = [
        (event, parents[(n * per_event + k) % len(parents)]) for n, event in enumerate(events) for k in range(per_event)
    ]
    Rsvp.objects.bulk_create(Rsvp(event=e, person_id=p, answer="yes") for e, p in pairs)
    due = timezone.now() - timedelta(minutes=1)
    Reminder.objects.bulk_create(Reminder(event=e, person_id=p, kind="first", due_at=due) for e, p in pairs)

    worker = subprocess.Popen(
        [str(VENV_BIN / "celery"), "-A", "portal", "worker", "--concurrency=2", "--loglevel=WARNING", "-n", "bench@%h"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,  # the start-up banner; warnings and errors still show
    )
    try:
        time.sleep(3)
        started = time.monotonic()
        for _ in range(2):  # two beat ticks at once, as after a restart: still one mail per reminder
            dispatch_reminders.delay()
        unsent = Reminder.objects.filter(sent_at__isnull=True, event__in=events)
        deadline = time.monotonic() + 600
        while unsent.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        elapsed = time.monotonic() - started
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    mails = read_outbox(outbox)
    ours = {str(pk) for pk in Reminder.objects.filter(event__in=events).values_list("pk", flat=True)}
    keys = [(m["To"], m["X-Samenspel-Reminder"]) for m in mails if m["X-Samenspel-Reminder"] in ours]
    return {
        "reminders_expected": len(pairs),
        "reminders_sent": len(set(keys)),
        "reminders_duplicates": len(keys) - len(set(keys)),
        "reminders_per_s": round(len(set(keys)) / elapsed, 1),
    }


def read_outbox(outbox):
    """Django's file backend writes each message followed by a line of 79 dashes."""
    mails = []
    for path in outbox.iterdir():
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                mails.append(message_from_bytes(chunk.strip()))
    return mails


def uploads_under_load(env, cookie, child, duration):
    """The floor page's latency while eight clients upload the heaviest photos (see tests.bench.uploads).
    The photo tasks go to a Redis database of their own, emptied afterwards: no worker decodes them here."""
    import redis
    from django.urls import reverse

    from .uploads import under_uploads

    broker = env.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis"):
        return {"skipped": "no Redis broker (CELERY_BROKER_URL)"}
    scratch = urlunparse(urlparse(broker)._replace(path="/14"))
    server = Gunicorn({**env, "CELERY_BROKER_URL": scratch})
    try:
        wait_for(server.base + "/bench/floor/", cookie)
        form = reverse("partnership:observation_create", args=[child])
        results = under_uploads(server, cookie, "/bench/floor/", form, duration, wrk)
    finally:
        server.stop()
        redis.Redis.from_url(scratch).delete("celery", "_kombu.binding.celery", "_kombu.binding_permanent.celery")
    log(f"Uploads under load: {results}")
    return results


def main():
    # Stopped from outside: still stop gunicorn and the worker (the `finally` blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="observations in total (default 1 000 000)")
    parser.add_argument(
        "--children",
        type=int,
        default=None,
        help="children in total (default: one per 200 observations, at least 100; 100 000 for a national operator)",
    )
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run (default 20)")
    parser.add_argument("--output", default=str(ROOT / "bench-results.json"))
    args = parser.parse_args()
    if args.size < SMALL_TOTAL:
        sys.exit(f"--size must be at least {SMALL_TOTAL}")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: run `make system`")

    database_url, base_url = bench_database_url()
    name = urlparse(database_url).path.lstrip("/")
    log(f"Database {name}: creating and migrating")
    recreate_database(base_url, name)
    var_dir = ROOT / "var" / "bench"
    outbox = var_dir / "outbox"
    env = server_env(database_url, var_dir, outbox)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    if subprocess.run(collect, cwd=ROOT, env=env, capture_output=True).returncode:
        # The hashed-name storage refuses a file that points at a missing one (a vendor source map).
        log("collectstatic with hashed names failed; the servers use plain static file names instead")
        env["STATIC_MANIFEST"] = "0"
        subprocess.run(collect, cwd=ROOT, env=env, check=True)
    setup_django(database_url)

    from accounts.models import User
    from partnership.models import Observation

    from .load import load_observations, load_people_and_centres, spread
    from .pages import load_page_data

    rng = random.Random(42)
    children_count = args.children or max(100, args.size // 200)
    started = time.monotonic()
    world = load_people_and_centres(children_count, rng)
    # Children are dealt over the groups in turn: child 0 and child `groups` share group 0.
    groups_count = len(world["groups"])
    large, small = world["children"][0], world["children"][groups_count]
    others = [child for child in world["children"] if child not in (large, small)]
    load_observations(world, {large: LARGE_CHILD, small: SMALL_CHILD}, rng)
    load_observations(world, spread(SMALL_TOTAL - LARGE_CHILD - SMALL_CHILD, others), rng)
    log(f"Loaded {Observation.objects.count()} observations for {children_count} children")

    staff = User.objects.get(pk=world["staff"][0])  # staff of group 0, where the large and the small child are
    cookie = session_cookie(staff)
    timeline = f"/children/{large}/"
    paths = {"timeline": timeline, "floor": "/bench/floor/"}
    at_small = measure(env, cookie, paths, args.duration)
    log(f"At {SMALL_TOTAL} observations: {at_small}")

    load_observations(world, spread(args.size - SMALL_TOTAL, others, rng_seed=8), rng)
    total = Observation.objects.count()
    log(f"Loaded {total} observations in {time.monotonic() - started:.0f}s")
    # Every main page in one run against the floor, and a bare page (the framework without the base layout).
    pages = load_page_data(world, large, small)
    cookies = {user: session_cookie(User.objects.get(pk=user)) for user, _path in pages.values()}
    targets = {
        "floor": (cookie, "/bench/floor/"),
        "bare": (cookie, "/bench/bare/"),
        **{name: (cookies[user], path) for name, (user, path) in pages.items()},
    }
    log(f"At {total} observations, every page:")
    at_full = measure(env, cookie, targets, args.duration, floor_beside="/bench/floor/")
    page_queries = {name: count_queries(User.objects.get(pk=user), path) for name, (user, path) in pages.items()}

    results = {
        "observations_total": total,
        "children": children_count,
        "timeline_rps": at_full["child_large"]["rps"],
        "timeline_p50_ms": at_full["child_large"]["p50_ms"],
        "timeline_p95_ms": at_full["child_large"]["p95_ms"],
        "floor_rps": at_full["floor"]["rps"],
        "floor_p95_ms": at_full["floor"]["p95_ms"],
        "timeline_vs_floor": round(at_full["child_large"]["rps"] / at_full["child_large"]["floor_rps"], 2),
        "queries_timeline_small": count_queries(staff, f"/children/{small}/"),
        "queries_timeline_large": count_queries(staff, timeline),
        "timeline_p50_ms_at_10000": at_small["timeline"]["p50_ms"],
        "latency_large_vs_small": round(at_full["child_large"]["p50_ms"] / at_small["timeline"]["p50_ms"], 2),
        "http_errors": sum(run["errors"] for run in [*at_small.values(), *at_full.values()]),
        "pages": page_figures(at_full, page_queries),
        "bare_rps": at_full["bare"]["rps"],
        "floor_vs_bare": round(at_full["bare"]["floor_rps"] / at_full["bare"]["rps"], 2),
        "child_p95_vs_floor_p95": round(at_full["child_large"]["p95_ms"] / at_full["floor"]["p95_ms"], 2),
    }
    results["slowest_page_vs_floor"] = min(page["vs_floor"] for page in results["pages"].values())
    results.update(reminders_through_worker(env, outbox, world))
    results.setdefault("reminders_per_s", None)
    # Two instances behind HAProxy (sessions, photos, rate limit and reminders across instances): not part of
    # this script yet.
    results["scale_check"] = None
    results["scale_check_reason"] = "not run: the two-instance check is not part of make bench yet"
    results["uploads_under_load"] = uploads_under_load(env, cookie, small, args.duration)
    results["connections"] = CONNECTIONS
    results["gunicorn_workers"] = WORKERS
    results["static_manifest"] = env["STATIC_MANIFEST"] == "1"
    results["wrk_seconds"] = args.duration
    results["machine"] = machine()
    Path(args.output).write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    print(f"\nWritten to {args.output}")


def table(results):
    width = max(len(key) for key in results)
    lines = [f"{'figure'.ljust(width)}  value", f"{'-' * width}  -----"]
    for key, value in results.items():
        if key == "pages":
            lines.append(f"{key.ljust(width)}  requests/s  p50 ms  p95 ms  vs floor  queries")
            for name, page in value.items():
                lines.append(
                    f"{('  ' + name).ljust(width)}  {page['rps']:>10}  {page['p50_ms']:>6}  {page['p95_ms']:>6}"
                    f"  {page['vs_floor']:>8}  {page['queries']:>7}"
                )
            continue
        if key == "machine":
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        lines.append(f"{key.ljust(width)}  {value}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
