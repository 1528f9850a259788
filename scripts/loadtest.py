"""Load test: tmgportal under gunicorn on loopback with the demo data, on the database of
DATABASE_URL (SQLite when unset) and the cache of TMG_CACHE_URL, driven by locust (headless) with the
role mix of scripts/locustfile.py. Fails on any failed request; with --write, puts p50/p95 per
request kind into docs/benchmarks.md.

    python scripts/loadtest.py --users 50 --seconds 60 --write     (make loadtest, per engine)

`make test` drives the same mix for a few seconds against the service tests' server
(tests/service/test_gunicorn.py, `drive`)."""

import argparse
import csv
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.benchdocs import write_section  # noqa: E402
from tests.service.server import Server  # noqa: E402

# Work for the office users: ABD proposes an extension for every Justice (JenV) dossier in function that
# allows one (the demo data has few pending), so the offices in the load decide real proposals.
PROPOSE_FOR_JUSTICE = """
from django.core.exceptions import ValidationError
from appointments import rules, services
from appointments.models import Appointment
from tmgportal.system import system_user
proposed = 0
for a in Appointment.objects.filter(function__ministry__abbreviation="JenV", status=rules.IN_FUNCTION):
    try:
        services.extension_propose(
            user=system_user(), appointment=a, reason_code="continuity", motivation="Belastingtest",
            proposed_end=rules.add_years(a.term_end, 1),
        )
    except ValidationError:  # this dossier allows no extension now: the office gets the others
        continue
    proposed += 1
print(proposed)
"""


def drive(server: Server, users: int, seconds: int) -> list[dict]:
    """The role mix against a running `server` for `seconds`: locust's rows per request kind. Raises
    on any failed request. ABD first proposes extensions, so the offices have real work."""
    server.python(PROPOSE_FOR_JUSTICE)
    prefix = server.tmp / "locust"
    result = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "locust"),
            "-f",
            str(ROOT / "scripts" / "locustfile.py"),
            "--host",
            server.url,
            "--headless",
            "-u",
            str(users),
            "-r",
            str(max(1, users // 5)),
            "-t",
            f"{seconds}s",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        check=False,
    )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    failures = sum(int(row["Failure Count"]) for row in rows if row["Name"] == "Aggregated")
    if result.returncode or failures:
        raise RuntimeError(f"{failures} failed requests (locust exit {result.returncode})")
    return rows


def run(users: int, seconds: int, workers: int) -> tuple[str, list[dict]]:
    server = Server(Path(tempfile.mkdtemp(prefix="tmgportal-load-")), workers=workers)
    server.env["TMG_REQUEST_LOG"] = "0"
    engine = "PostgreSQL" if server.pg_database else "SQLite"
    print(f"Preparing {engine} with the demo data ...", flush=True)
    try:
        server.prepare()
        server.start()
        try:
            return engine, drive(server, users, seconds)
        except RuntimeError as error:
            raise SystemExit(f"Load test on {engine}: {error}") from error
    finally:
        server.stop()


def table(engine: str, rows: list[dict], users: int, seconds: int, workers: int) -> str:
    lines = [
        f"### Load test, {engine}",
        "",
        f"{users} concurrent users (ABD staff 3 : offices 1 : visitors 3) for {seconds} s against gunicorn "
        f"with {workers} workers on 127.0.0.1, demo data (80 members); {platform.machine()}, "
        f"{os.cpu_count()} CPUs, {datetime.now(UTC).date().isoformat()}. Written by `make loadtest`; 0 failed requests.",
        "",
        "| Request | Requests | Failures | req/s | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        lines.append(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
            f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--write", action="store_true", help="write the figures into docs/benchmarks.md")
    args = parser.parse_args()
    engine, rows = run(args.users, args.seconds, args.workers)
    section = table(engine, rows, args.users, args.seconds, args.workers)
    print(section)
    if args.write:
        write_section(f"loadtest:{engine}", section)


if __name__ == "__main__":
    main()
