"""Helpers of the backup and restore commands."""

import os
from pathlib import Path

from django.db import connection


def database_engine():
    return connection.vendor


def pg_env():
    """libpq environment for pg_dump / pg_restore from the Django database settings (no password on argv)."""
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, setting in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if db.get(setting):
            env[key] = str(db[setting])
    return env


def row_counts():
    """Rows per table of the database, for comparing a restore with its backup."""
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names from the catalogue
            counts[table] = cursor.fetchone()[0]
    return counts


def media_files(root):
    """Paths of the regular files under `root`, relative to it, sorted."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def uploads_on_disk():
    """Whether the uploads are files under MEDIA_ROOT (not in object storage)."""
    from django.core.files.storage import FileSystemStorage, default_storage

    return isinstance(default_storage, FileSystemStorage)
