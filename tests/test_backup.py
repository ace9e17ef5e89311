"""Backups: a backup of a seeded database with photos, restored into a new database and a new media folder,
holds every row and every photo."""

import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from PIL import Image

from children.models import Child
from children.photos import process_photo, store_photo
from partnership.models import Observation, ObservationPhoto

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent


def a_photo(color):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, format="PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")


def database_url(name):
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def manage(*args, database, media, **extra):
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": database_url(database),
        "MEDIA_ROOT": str(media),
        "CONN_MAX_AGE": "0",
        **extra,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    return result


def counts(name):
    with psycopg2.connect(database_url(name)) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        result = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
            result[table] = cursor.fetchone()[0]
    conn.close()
    return result


def stored_photos(name):
    """File names the database points at: children's photos and observation photos."""
    with psycopg2.connect(database_url(name)) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT photo FROM children_child WHERE photo <> '' UNION ALL SELECT photo_thumbnail FROM children_child "
            "WHERE photo_thumbnail <> '' UNION ALL SELECT image FROM partnership_observationphoto "
            "UNION ALL SELECT thumbnail FROM partnership_observationphoto"
        )
        names = sorted(row[0] for row in cursor.fetchall())
    conn.close()
    return names


def hashes(root):
    root = Path(root)
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


@pytest.fixture
def restored_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = psycopg2.connect(database_url("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_a_restored_backup_holds_every_row_and_photo(settings, tmp_path, restored_database):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    demo_photos = ObservationPhoto.objects.count()
    demo_files = len(hashes(media))
    # Photos of our own as well: a profile photo and two observation photos.
    child = Child.objects.order_by("pk").first()
    store_photo(process_photo(a_photo("red")), child.photo, child.photo_thumbnail)
    child.save()
    observation = Observation.objects.filter(child=child).first() or Observation.objects.first()
    for color in ("green", "blue"):
        processed = process_photo(a_photo(color))
        photo = ObservationPhoto(observation=observation, width=processed.width, height=processed.height)
        store_photo(processed, photo.image, photo.thumbnail)
        photo.save()
    source = connection.settings_dict["NAME"]
    source_counts = counts(source)
    assert source_counts["children_child"] > 0
    assert source_counts["partnership_observationphoto"] == demo_photos + 2
    source_files = hashes(media)
    assert len(source_files) == demo_files + 6

    backups = tmp_path / "backups"
    made = manage("backup", f"--dir={backups}", database=source, media=media)
    assert made.returncode == 0, made.stderr
    folder = Path(made.stdout.strip().splitlines()[-1])
    assert folder.parent == backups
    assert {p.name for p in folder.iterdir()} == {"database.dump", "media.tar.gz", "manifest.json"}
    assert json.loads((folder / "manifest.json").read_text())["tables"] == source_counts
    assert oct(folder.stat().st_mode & 0o777) == "0o700"

    new_media = tmp_path / "restored-media"
    restored = manage("restore", str(folder), database=restored_database, media=new_media)
    assert restored.returncode == 0, restored.stderr

    assert counts(restored_database) == source_counts
    assert hashes(new_media) == source_files
    assert stored_photos(restored_database) == stored_photos(source)
    assert set(stored_photos(restored_database)) <= set(hashes(new_media))

    # A second restore into what now holds data is refused, unless asked to replace it.
    again = manage("restore", str(folder), database=restored_database, media=new_media)
    assert again.returncode != 0 and "already has" in again.stderr
    replaced = manage("restore", str(folder), "--replace", database=restored_database, media=new_media)
    assert replaced.returncode == 0, replaced.stderr
    assert counts(restored_database) == source_counts
    assert hashes(new_media) == source_files
