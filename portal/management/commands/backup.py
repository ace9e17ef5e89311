"""`manage.py backup`: the database and the uploaded files, into var/backups/<timestamp>/.

- `database.dump`: `pg_dump --format=custom` of the portal's database (a copy of the file for SQLite);
- `media.tar.gz`: every file under MEDIA_ROOT (the photos); left out, with a warning, when the uploads are in
  object storage (AWS_STORAGE_BUCKET_NAME), which is backed up with the bucket's own tools;
- `manifest.json`: when, which database, and how many rows and files went in, to compare after a restore.

`make backup` runs it; `manage.py restore <dir>` (`make restore BACKUP=<dir>`) puts it back.
"""

import json
import os
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal.backups import database_engine, media_files, pg_env, row_counts, uploads_on_disk


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new folder under var/backups/."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(settings.VAR_DIR / "backups"), help="Folder for the backups.")

    def handle(self, *args, dir, **options):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = Path(dir) / stamp
        target.mkdir(parents=True, exist_ok=False)
        os.chmod(target, 0o700)  # children's data: readable by the owner only
        engine = database_engine()
        dump = target / "database.dump"
        if engine == "postgresql":
            command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"]
            result = subprocess.run(command, env=pg_env(), capture_output=True, text=True)  # noqa: S603 - fixed argv
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        elif engine == "sqlite3":
            import sqlite3

            source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
            with sqlite3.connect(dump) as copy:
                source.backup(copy)
            source.close()
        else:
            raise CommandError(f"Backups of a {engine} database are not supported.")

        media_root = Path(settings.MEDIA_ROOT)
        if uploads_on_disk():
            files = media_files(media_root)
            with tarfile.open(target / "media.tar.gz", "w:gz") as archive:
                for relative in files:
                    archive.add(media_root / relative, arcname=relative, recursive=False)
        else:
            files = None
            self.stderr.write(
                "The uploads are in object storage (AWS_STORAGE_BUCKET_NAME), not in MEDIA_ROOT: this backup holds "
                "the database only. Back the bucket up with its own tools (e.g. `mc mirror` or `aws s3 sync`)."
            )

        manifest = {
            "created_at": stamp,
            "engine": engine,
            "database": connection.settings_dict["NAME"],
            "tables": row_counts(),
            "media_files": None if files is None else len(files),
        }
        (target / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        for path in target.iterdir():
            os.chmod(path, 0o600)
        self.stdout.write(f"{target}")
