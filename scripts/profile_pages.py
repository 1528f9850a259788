"""CPU time per request of every staff page, in-process, at demo volume (outside `make test`).

A fresh SQLite database in a temporary folder with the reference and demo data (80 members), or
with `--database URL --members N` a database loaded with the volume data (loaded once: a database
that already holds N members is used as it is), the production settings (DEBUG off, the cached
template loader), Django's test client logged in as ABD staff. Each page is asked WARM times, then RUNS times; the median CPU time (time.process_time) per
request is reported with its ratio to the login page. `--profile NAME` prints a cProfile of that page
(cumulative, the top 40 lines) and `--write` puts the table into docs/benchmarks.md.

    .venv/bin/python scripts/profile_pages.py [--runs 30] [--profile dashboard] [--write]
    .venv/bin/python scripts/profile_pages.py --database postgres://... --members 6000
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WARM = 3


def setup_django(folder: str, database: str | None, members: int | None) -> None:
    os.environ.update(
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "profile-only-secret-key-0123456789abcdefghij"),
        TMG_ENV_FILE=os.devnull,
        DJANGO_DEBUG="0",
        TMG_DEMO="1",
        TMG_REQUIRE_SECOND_FACTOR="0",
        TMG_SSL_REDIRECT="0",
        TMG_SECURE_COOKIES="0",
        TMG_REQUEST_LOG="0",
        DATABASE_URL=database or f"sqlite:///{folder}/profile.sqlite3",
        TMG_CACHE_DIR=f"{folder}/cache",
        TMG_MEDIA_ROOT=f"{folder}/media",
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    os.environ.pop("TMG_CACHE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tmgportal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from appointments.models import Member

    if members and Member.objects.count() >= members:
        return
    call_command("load_reference_data", verbosity=0)
    call_command("load_demo_data", *(["--members", str(members)] if members else []), verbosity=0)


def pages():
    from django.db.models import Count

    from appointments.models import Member

    member = (
        Member.objects.filter(placements__isnull=False, side_activities__isnull=False)
        .annotate(rows=Count("appointments__placements", distinct=True))
        .order_by("-rows", "-pk")
        .first()
    )
    appointment = member.appointments.order_by("-start_date").first()
    return [
        ("login page", "/inloggen/", False),
        ("dashboard", "/dashboard/", True),
        ("member list", "/leden/", True),
        ("member detail", f"/leden/{member.pk}/", True),
        ("dossier", f"/benoemingen/{appointment.pk}/", True),
        ("pay page", f"/salaris/leden/{member.pk}/", True),
        ("history", f"/leden/{member.pk}/historie/", True),
        ("side activities", "/nevenwerkzaamheden/", True),
        ("forecast", "/prognose/", True),
        ("WNT overview", "/salaris/wnt/", True),
        ("tables", "/salaris/tabellen/", True),
        ("step increases", "/salaris/periodieken/", True),
        ("back pay", "/salaris/nabetalingen/", True),
        ("public register", "/openbaar/nevenwerkzaamheden/", False),
    ]


def measure(client, path: str, runs: int, cold: bool = False) -> tuple[float, float]:
    """The median CPU time of this process and the median wall time (which adds the database
    server's work and the wait for it), in ms. `cold`: every request follows a change of the work
    and the pay (their version stamps renewed), so nothing kept in the shared cache is used."""
    from tmgportal import versions

    for _ in range(WARM):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    cpu, wall = [], []
    for _ in range(runs):
        if cold:
            versions.renew(versions.WORK)
            versions.renew(versions.PAY)
        start, started = time.process_time(), time.perf_counter()
        client.get(path)
        cpu.append(time.process_time() - start)
        wall.append(time.perf_counter() - started)
    return statistics.median(cpu) * 1000, statistics.median(wall) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--profile", help="the name of a page to profile")
    parser.add_argument("--sort", default="cumulative", help="cProfile's order: cumulative or tottime")
    parser.add_argument("--lines", type=int, default=40, help="how many lines of the profile to print")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--database", help="a database URL (default: a fresh SQLite database)")
    parser.add_argument("--members", type=int, help="load the volume data up to this many members")
    parser.add_argument("--cold", action="store_true", help="measure every request right after a change")
    args = parser.parse_args()
    if args.write and (args.database or args.members):
        parser.error("--write records the demo volume on SQLite only")
    with tempfile.TemporaryDirectory() as folder:
        setup_django(folder, args.database, args.members)
        from django.contrib.auth import get_user_model
        from django.test import Client

        staff = Client()
        staff.force_login(get_user_model().objects.get(username="abd"))
        anonymous = Client()
        rows = []
        for name, path, logged_in in pages():
            client = staff if logged_in else anonymous
            if args.profile == name:
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(args.runs):
                    client.get(path)
                profiler.disable()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.lines)
                print(out.getvalue())
            rows.append((name, measure(client, path, args.runs, args.cold)))
    login = dict(rows)["login page"][0]
    lines = ["| Page | CPU ms per request | × login page | wall ms |", "|---|---:|---:|---:|"]
    lines += [f"| {name} | {cpu:.1f} | {cpu / login:.1f} | {wall:.1f} |" for name, (cpu, wall) in rows]
    print("\n".join(lines))
    if args.write:
        from scripts.benchdocs import write_section

        kind = "right after a change (nothing kept)" if args.cold else "with the kept page parts"
        write_section(
            "profile-cold" if args.cold else "profile",
            f"### CPU time per request at demo volume (in-process), {kind}\n\n"
            f"80 demo members, SQLite, DEBUG off, median of {args.runs} requests after {WARM} warm-up "
            f"ones; written by `scripts/profile_pages.py --write{' --cold' if args.cold else ''}`.\n\n"
            + "\n".join(lines),
        )


if __name__ == "__main__":
    main()
