"""Backup and restore of the whole database, KB PDFs included (they live in it, docs/storage.md).

PostgreSQL: `pg_dump` in its custom format, from a snapshot that the manifest is computed in too, so
the manifest describes exactly what the dump holds; restored with `pg_restore` into an empty database.
SQLite: the online backup API (a consistent copy while the application runs); restored the same way.

Every backup has a manifest beside it: per table the number of rows and a SHA-256 over every row,
the rows sorted by all their columns (a history table's first column is the record's id, shared by
all its history rows: sorting by it alone left their order to chance). A restore recomputes it from
the restored database and names every table that differs, and checks every KB PDF against its
recorded hash; zero differences is the only success.

What a backup holds (docs/backup.md): every record and all history, the KB PDFs and documents, the
user accounts with their password hashes, second-factor keys and recovery codes, and calendar-feed
tokens. Not the sessions (a restore logs everybody out) nor the cache. The files are written readable
by their owner only (0600, in a folder of mode 0700)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

# The cache is not data: it is rebuilt on demand. Sessions are live credentials: left out.
SKIPPED_TABLES = frozenset({"django_cache", "django_session"})
SESSIONS = "django_session"
PRIVATE = 0o600
PG_BIN = Path("/usr/lib/postgresql/15/bin")


class BackupError(Exception):
    """A backup or restore that cannot be made or trusted; the message says why."""


def _value(value) -> str:
    if isinstance(value, memoryview | bytes | bytearray):
        return bytes(value).hex()
    return repr(value)


def fingerprint(cursor, tables: list[str], quote) -> dict:
    """Rows and a SHA-256 over all rows of each table, sorted by every column in turn: one order
    whatever the physical order of rows that share their first columns."""
    result = {}
    for table in sorted(set(tables) - SKIPPED_TABLES):
        digest = hashlib.sha256()
        rows = 0
        cursor.execute(f"SELECT * FROM {quote(table)} WHERE 1 = 0")
        every_column = ", ".join(str(n) for n in range(1, len(cursor.description) + 1))
        cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {every_column}")
        while batch := cursor.fetchmany(2000):
            for row in batch:
                digest.update("\x1f".join(_value(v) for v in row).encode())
                digest.update(b"\x1e")
                rows += 1
        result[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return result


def kb_hash_mismatches(cursor) -> int:
    """KB PDFs and documents on file whose content no longer has the SHA-256 recorded when they were
    stored."""
    mismatches = 0
    for table in ("appointments_kbdocument", "appointments_document"):
        cursor.execute(f"SELECT content, sha256 FROM {table}")  # noqa: S608 - fixed table names
        while batch := cursor.fetchmany(100):
            mismatches += sum(
                1 for content, sha in batch if hashlib.sha256(bytes(content)).hexdigest() != sha
            )
    return mismatches


def differences(expected: dict, found: dict) -> list[str]:
    """Every table whose rows differ between the backup's manifest and the restored database."""
    result = []
    for name in sorted(set(expected) | set(found)):
        before, after = expected.get(name), found.get(name)
        if before == after:
            continue
        if before is None or after is None:
            result.append(f"{name}: {'ontbreekt na herstel' if after is None else 'niet in de backup'}")
        elif before["rows"] != after["rows"]:
            result.append(f"{name}: {before['rows']} rijen in de backup, {after['rows']} na herstel")
        else:
            result.append(f"{name}: inhoud verschilt")
    return result


@dataclass
class Backup:
    path: Path
    manifest_path: Path

    @property
    def manifest(self) -> dict:
        return json.loads(self.manifest_path.read_text())


def _private_file(path: Path) -> Path:
    """An empty file only its owner can read, for a backup to be written into."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, PRIVATE))
    return path


def _write_manifest(path: Path, engine: str, tables: dict) -> Path:
    manifest = _private_file(path.with_name(path.name + ".manifest.json"))
    manifest.write_text(
        json.dumps({"engine": engine, "created": timezone.now().isoformat(), "tables": tables}, indent=1)
    )
    return manifest


# -- SQLite ---------------------------------------------------------------------------------------


def _sqlite_tables(conn) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [name for (name,) in rows]


def _sqlite_fingerprint(path: Path) -> tuple[dict, int]:
    with sqlite3.connect(path) as conn:
        cursor = conn.cursor()
        return fingerprint(cursor, _sqlite_tables(conn), lambda t: f'"{t}"'), kb_hash_mismatches(cursor)


def backup_sqlite(target: Path) -> Backup:
    connection.ensure_connection()
    _private_file(target)
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    # The copy's sessions are emptied and their pages overwritten (VACUUM), so none can be read back.
    copy = sqlite3.connect(target, isolation_level=None)
    try:
        if SESSIONS in _sqlite_tables(copy):
            copy.execute(f'DELETE FROM "{SESSIONS}"')
        copy.execute("VACUUM")
    finally:
        copy.close()
    tables, _ = _sqlite_fingerprint(target)
    return Backup(target, _write_manifest(target, "sqlite", tables))


def restore_sqlite(backup: Backup, target: Path) -> list[str]:
    if target.exists() and target.stat().st_size:
        with sqlite3.connect(target) as conn:
            if _sqlite_tables(conn):
                raise BackupError(f"{target} is not empty: restore only into an empty database")
    with sqlite3.connect(backup.path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    found, mismatches = _sqlite_fingerprint(target)
    return differences(backup.manifest["tables"], found) + _kb_problem(mismatches)


# -- PostgreSQL -----------------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = PG_BIN / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    env.update(
        PGHOST=db.get("HOST") or "",
        PGPORT=str(db.get("PORT") or ""),
        PGUSER=db.get("USER") or "",
        PGPASSWORD=db.get("PASSWORD") or "",
    )
    return env


def _pg_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return [name for (name,) in cursor.fetchall()]


def _pg_quote(table: str) -> str:
    return '"' + table.replace('"', '""') + '"'


def _pg_connect(db: dict, name: str):
    import psycopg

    return psycopg.connect(
        dbname=name,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
    )


def pg_fingerprint(db: dict, name: str) -> tuple[dict, int]:
    with _pg_connect(db, name) as conn, conn.cursor() as cursor:
        return fingerprint(cursor, _pg_tables(cursor), _pg_quote), kb_hash_mismatches(cursor)


def backup_postgres(target: Path, db: dict | None = None) -> Backup:
    db = db or connection.settings_dict
    _private_file(target)
    with _pg_connect(db, db["NAME"]) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        with conn.cursor() as cursor:
            tables = fingerprint(cursor, _pg_tables(cursor), _pg_quote)
        result = subprocess.run(
            [
                _pg_tool("pg_dump"),
                "--format=custom",
                f"--snapshot={snapshot}",
                "--no-owner",
                f"--exclude-table-data={SESSIONS}",
                "-f",
                str(target),
                db["NAME"],
            ],
            env=_pg_env(db),
            capture_output=True,
            text=True,
            check=False,
        )
        conn.rollback()
    if result.returncode:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return Backup(target, _write_manifest(target, "postgresql", tables))


def restore_postgres(backup: Backup, name: str, db: dict | None = None) -> list[str]:
    db = db or connection.settings_dict
    with _pg_connect(db, name) as conn, conn.cursor() as cursor:
        if _pg_tables(cursor):
            raise BackupError(f"database {name} is not empty: restore only into an empty database")
    result = subprocess.run(
        [_pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "-d", name, str(backup.path)],
        env=_pg_env(db),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    found, mismatches = pg_fingerprint(db, name)
    return differences(backup.manifest["tables"], found) + _kb_problem(mismatches)


def _kb_problem(mismatches: int) -> list[str]:
    return [f"{mismatches} KB-PDF('s) of documenten komen niet overeen met hun SHA-256"] if mismatches else []


# -- The configured database ----------------------------------------------------------------------


def backup_now(folder: Path) -> Backup:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    if connection.vendor == "postgresql":
        return backup_postgres(folder / f"tmgportal-{stamp}.dump")
    return backup_sqlite(folder / f"tmgportal-{stamp}.sqlite3")


def restore_here(path: Path) -> list[str]:
    """Restore into the configured (empty) database; the differences with the backup's manifest."""
    backup = Backup(path, path.with_name(path.name + ".manifest.json"))
    if not backup.manifest_path.exists():
        raise BackupError(f"no manifest beside {path}: cannot check the restore")
    engine = backup.manifest["engine"]
    if engine != connection.vendor:
        raise BackupError(f"a {engine} backup cannot be restored into {connection.vendor}")
    connection.close()
    if engine == "postgresql":
        return restore_postgres(backup, connection.settings_dict["NAME"])
    return restore_sqlite(backup, Path(settings.DATABASES["default"]["NAME"]))
