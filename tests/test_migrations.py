"""The migrations carry an existing database forward without losing a row.

A database is built and filled by the portal as it was before notifications and the shared machinery got
their own apps (commit OLD: its migrations and its `seed_demo`), then migrated forward by today's code.
Every row that was there is still there, under the same id, and the moved notifications are read through
their new model. Both steps run in a subprocess on a database of their own: the rest of the suite builds
its tables from the models (--nomigrations), and the old code must not meet today's.
"""

import json
import os
import subprocess
import sys
import tarfile
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
OLD = "3d8e794"  # the last commit before notifications, common and children/privacy became packages of their own
# Tables whose rows Django itself adds for new models (content types, permissions) or that record migrations.
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission"}

SEED_OLD = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("seed_demo", verbosity=0)
"""

MIGRATE_NEW = """
import django, json
django.setup()
from django.apps import apps
from django.core.management import call_command
call_command("migrate", verbosity=0)
Notification = apps.get_model("notifications", "Notification")
from django.contrib.contenttypes.models import ContentType
print(json.dumps({
    "notifications": Notification.objects.count(),
    "unread": Notification.objects.filter(read_at__isnull=True).count(),
    "content_types": sorted(ContentType.objects.filter(model="notification").values_list("app_label", flat=True)),
}))
"""


@contextmanager
def _cursor(name):
    db = settings.DATABASES["default"]
    connection = psycopg2.connect(
        dbname=name, user=db["USER"], password=db["PASSWORD"], host=db["HOST"] or None, port=db["PORT"] or None
    )
    connection.autocommit = True  # CREATE/DROP DATABASE refuse to run inside a transaction
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()


def _database_url(name):
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _rows(name):
    """{table: set of ids (or the row count where a table has no id column)} of every table in the database."""
    found = {}
    with _cursor(name) as cursor:
        cursor.execute(
            "SELECT table_name, bool_or(column_name = 'id') FROM information_schema.columns "
            "WHERE table_schema = 'public' GROUP BY table_name"
        )
        for table, has_id in cursor.fetchall():
            if has_id:
                cursor.execute(sql.SQL("SELECT id FROM {}").format(sql.Identifier(table)))
                found[table] = {row[0] for row in cursor.fetchall()}
            else:
                cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
                found[table] = cursor.fetchone()[0]
    return found


def _run(code, cwd, env):
    result = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture
def scratch_database():
    name = f"{settings.DATABASES['default']['NAME']}_migrations"[:63]
    with _cursor("postgres") as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with _cursor("postgres") as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def old_tree(tmp_path):
    """The project's files as they were at OLD, unpacked from git (no worktree: the repository is left alone)."""
    archive = subprocess.run(["git", "archive", "--format=tar", OLD], cwd=ROOT, capture_output=True, check=True)
    path = tmp_path / "old"
    path.mkdir()
    archive_file = tmp_path / "old.tar"
    archive_file.write_bytes(archive.stdout)
    with tarfile.open(archive_file) as tar:
        tar.extractall(path, filter="data")
    return path


def test_a_database_filled_by_the_old_portal_keeps_every_row(scratch_database, old_tree, tmp_path):
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": _database_url(scratch_database),
        "VAR_DIR": str(tmp_path / "var"),
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "CELERY_BROKER_URL": "memory://",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    env.pop("PYTHONPATH", None)
    _run(SEED_OLD, old_tree, env)
    with _cursor(scratch_database) as cursor:  # the old demo has no notifications yet: one read, one not, per person
        cursor.execute(
            "INSERT INTO partnership_notification (recipient_id, message, url, created_at, read_at, emailed_at) "
            "SELECT id, 'Nieuw voor ' || email, '/', now(), CASE WHEN n = 1 THEN now() END, NULL "
            "FROM accounts_user CROSS JOIN generate_series(1, 2) AS n"
        )
    before = _rows(scratch_database)
    assert before["partnership_notification"] and before["accounts_user"] and before["children_child"]

    moved = json.loads(_run(MIGRATE_NEW, ROOT, env).strip().splitlines()[-1])

    after = _rows(scratch_database)
    for table, rows in before.items():
        if table in BOOKKEEPING:
            continue
        assert table in after, f"{table} is gone"
        if isinstance(rows, set):
            assert rows <= after[table], f"{table} lost rows {sorted(rows - after[table])[:10]}"
        else:
            assert after[table] >= rows, f"{table} lost rows"
    assert moved["notifications"] == len(before["partnership_notification"]) == 2 * len(before["accounts_user"])
    assert moved["unread"] == len(before["accounts_user"])
    assert moved["content_types"] == ["notifications"], "the content type moved along with the model"
