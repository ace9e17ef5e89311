"""`manage.py restore <dir>`: put a backup of `manage.py backup` back into the configured database and
MEDIA_ROOT. Refuses a database that already has tables, unless `--replace` (which drops what is there).

`make restore BACKUP=var/backups/<timestamp>` runs it (`REPLACE=1` for `--replace`).
"""

import json
import shutil
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal.backups import database_engine, media_files, pg_env, row_counts


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into the configured database and MEDIA_ROOT."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The backup's folder, e.g. var/backups/20261201T203000Z")
        parser.add_argument("--replace", action="store_true", help="Replace a database and media that hold data.")

    def handle(self, *args, backup, replace, **options):
        source = Path(backup)
        dump, media = source / "database.dump", source / "media.tar.gz"
        if not dump.is_file():
            raise CommandError(f"{source} holds no database.dump")
        engine = database_engine()
        existing = connection.introspection.table_names()
        if existing and not replace:
            raise CommandError(
                f"The database {connection.settings_dict['NAME']} already has {len(existing)} tables. "
                "Restore into an empty database, or pass --replace (REPLACE=1) to overwrite it."
            )
        media_root = Path(settings.MEDIA_ROOT)
        if media.is_file() and media_files(media_root) and not replace:
            raise CommandError(f"{media_root} already holds files. Use an empty folder, or pass --replace.")

        if engine == "postgresql":
            connection.close()
            command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
            command.append(f"--dbname={connection.settings_dict['NAME']}")
            if replace:
                command += ["--clean", "--if-exists"]
            result = subprocess.run([*command, str(dump)], env=pg_env(), capture_output=True, text=True)  # noqa: S603
            if result.returncode != 0:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        elif engine == "sqlite3":
            import sqlite3

            connection.close()
            with sqlite3.connect(dump) as backup_db:
                target = sqlite3.connect(settings.DATABASES["default"]["NAME"])
                backup_db.backup(target)
                target.close()
        else:
            raise CommandError(f"Restoring a {engine} database is not supported.")

        if media.is_file():
            if replace and media_root.exists():
                for child in media_root.iterdir():
                    if child.is_dir() and not child.is_symlink():
                        shutil.rmtree(child)
                    else:
                        child.unlink()
            media_root.mkdir(parents=True, exist_ok=True)
            with tarfile.open(media, "r:gz") as archive:
                archive.extractall(media_root, filter="data")  # no absolute paths, links out or devices
        else:
            self.stderr.write("This backup holds no uploads (they were in object storage): the database only.")

        manifest_path = source / "manifest.json"
        if manifest_path.is_file():
            manifest = json.loads(manifest_path.read_text())
            counts = row_counts()
            differ = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
            if differ:
                raise CommandError(f"Restored, but row counts differ from the backup's: {differ}")
            if manifest.get("media_files") and len(media_files(media_root)) < manifest["media_files"]:
                raise CommandError("Restored, but fewer files than the backup holds.")
        self.stdout.write(f"Restored {source} into {connection.settings_dict['NAME']} and {media_root}")
