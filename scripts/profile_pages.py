"""CPU time per request of every staff page, in-process, at demo volume (outside `make test`).

A fresh SQLite database in a temporary folder with the reference and demo data (80 members), the
production settings (DEBUG off, the cached template loader), Django's test client logged in as ABD
staff. Each page is asked WARM times, then RUNS times; the median CPU time (time.process_time) per
request is reported with its ratio to the login page. `--profile NAME` prints a cProfile of that page
(cumulative, the top 40 lines) and `--write` puts the table into docs/benchmarks.md.

    .venv/bin/python scripts/profile_pages.py [--runs 30] [--profile dashboard] [--write]
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


def setup_django(folder: str) -> None:
    os.environ.update(
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "profile-only-secret-key-0123456789abcdefghij"),
        TMG_ENV_FILE=os.devnull,
        DJANGO_DEBUG="0",
        TMG_DEMO="1",
        TMG_REQUIRE_SECOND_FACTOR="0",
        TMG_SSL_REDIRECT="0",
        TMG_SECURE_COOKIES="0",
        TMG_REQUEST_LOG="0",
        DATABASE_URL=f"sqlite:///{folder}/profile.sqlite3",
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
    call_command("load_reference_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)


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


def measure(client, path: str, runs: int) -> float:
    for _ in range(WARM):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    times = []
    for _ in range(runs):
        start = time.process_time()
        client.get(path)
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--profile", help="the name of a page to profile")
    parser.add_argument("--sort", default="cumulative", help="cProfile's order: cumulative or tottime")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(folder)
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
                pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(40)
                print(out.getvalue())
            rows.append((name, measure(client, path, args.runs)))
    login = dict(rows)["login page"]
    lines = ["| Page | CPU ms per request | × login page |", "|---|---:|---:|"]
    lines += [f"| {name} | {ms:.1f} | {ms / login:.1f} |" for name, ms in rows]
    print("\n".join(lines))
    if args.write:
        from scripts.benchdocs import write_section

        write_section(
            "profile",
            "### CPU time per request at demo volume (in-process)\n\n"
            f"80 demo members, SQLite, DEBUG off, median of {args.runs} requests after {WARM} warm-up "
            "ones; written by `scripts/profile_pages.py --write`.\n\n" + "\n".join(lines),
        )


if __name__ == "__main__":
    main()
