"""Page speed at volume (`make benchmark`, outside `make test`).

For each size (80 demo members, then 6,000 with generated careers over 10 years) on the database of
DATABASE_URL (SQLite when unset) and the cache of TMG_CACHE_URL: a fresh database, gunicorn with the
production settings and its default number of workers on loopback, and ApacheBench (`ab`) at 8
concurrent clients against every page, a static file and the login page in the same run. Writes
req/s, p50 and p95 per page and size into docs/benchmarks.md with the ratio to the static file, and
compares each page with the stored baseline (docs/benchmark-baseline.json): more than 20% slower is
said in the output and in the document. `--set-baseline` stores this run as the new baseline.

    python scripts/benchmark.py --sizes 80,6000 --seconds 15 --write     (scripts/benchmark.sh per engine)"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.benchdocs import write_section  # noqa: E402
from tests.service.server import Browser, Server  # noqa: E402

BASELINE = ROOT / "docs" / "benchmark-baseline.json"
SLOWER = 1.2  # more than 20% slower than the baseline is reported
CONCURRENCY = 8
# (name, path, logged in): the staff pages with a static file and the login page.
PAGES = [
    ("static file", "{static}", False),
    ("login page", "/inloggen/", False),
    ("public register (cached)", "/openbaar/nevenwerkzaamheden/", False),
    ("dashboard", "/dashboard/", True),
    ("member list", "/leden/", True),
    ("member detail", "/leden/{member}/", True),
    ("dossier", "/benoemingen/{appointment}/", True),
    ("pay page", "/salaris/leden/{member}/", True),
    ("history", "/leden/{member}/historie/", True),
    ("side activities", "/nevenwerkzaamheden/", True),
    ("forecast", "/prognose/", True),
    ("WNT overview", "/salaris/wnt/", True),
    ("step increases", "/salaris/periodieken/", True),
    ("back pay", "/salaris/nabetalingen/", True),
    ("tables", "/salaris/tabellen/", True),
]
# The member whose pages are measured: paid, with a side activity and the longest history of those.
SUBJECT = """
from django.db.models import Count
from django.templatetags.static import static
from appointments.models import Member
member = (
    Member.objects.filter(placements__isnull=False, side_activities__isnull=False)
    .annotate(rows=Count("appointments__placements", distinct=True)).order_by("-rows", "-pk").first()
)
print(member.pk, member.appointments.order_by("-start_date").first().pk, static("css/app.css"))
"""
RPS = re.compile(r"Requests per second:\s+([\d.]+)")
PERCENTILE = re.compile(r"^\s+(50|95)%\s+(\d+)", re.M)
FAILED = re.compile(r"(?:Failed requests|Non-2xx responses):\s+(\d+)")


def ab(url: str, cookies: list[str], seconds: int | None) -> dict:
    """`seconds` of load, or (None) a warm-up of two requests per client, however long they take."""
    limit = ["-t", str(seconds), "-n", "100000"] if seconds else ["-n", str(2 * CONCURRENCY)]
    command = ["ab", "-q", *limit, "-c", str(CONCURRENCY), "-l", "-s", "120"]
    if cookies:
        command += ["-H", "Cookie: " + "; ".join(cookies)]  # one header: ab repeats -C as separate ones
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    failed = sum(int(n) for n in FAILED.findall(out))
    if failed:
        raise SystemExit(f"{url}: {failed} failed or non-2xx responses\n{out}")
    percentiles = dict(PERCENTILE.findall(out))
    return {
        "rps": float(RPS.search(out).group(1)),
        "p50": int(percentiles["50"]),
        "p95": int(percentiles["95"]),
    }


def measure(size: int, seconds: int) -> tuple[str, dict, str]:
    tmp = Path(tempfile.mkdtemp(prefix="tmgportal-bench-"))
    server = Server(tmp, workers=None)
    server.env["TMG_REQUEST_LOG"] = "0"
    engine = "PostgreSQL" if server.pg_database else "SQLite"
    try:
        print(f"{engine}, {size} members: loading ...", flush=True)
        output = server.prepare(members=size if size > 80 else None).splitlines()
        loaded = next(line for line in reversed(output) if line.startswith(("Volume data", "Demo data")))
        member, appointment, static = server.python(SUBJECT).split()
        server.start()
        browser = Browser(server)
        browser.log_in("abd", "demo-abd-2026")
        cookies = [f"sessionid={browser.cookie('sessionid')}", f"csrftoken={browser.cookie('csrftoken')}"]
        results = {}
        for name, path, logged_in in PAGES:
            url = server.url + path.format(member=member, appointment=appointment, static=static)
            ab(url, cookies if logged_in else [], None)  # warm up: caches, connections, imported code
            results[name] = ab(url, cookies if logged_in else [], seconds)
            print(f"  {name:<26} {results[name]}", flush=True)
    finally:
        server.stop()
    return engine, results, loaded


# The goal of a staff page at volume, and of the cached public register (issue 31).
STAFF_RPS, STAFF_P95 = 100, 100
REGISTER_SHARE = 0.5


def goal(name: str, logged_in: bool, figures: dict, static: float) -> str:
    if logged_in:
        met = figures["rps"] >= STAFF_RPS and figures["p95"] < STAFF_P95
        return "met" if met else f"**not met** (≥ {STAFF_RPS} req/s, p95 < {STAFF_P95} ms)"
    if name.startswith("public register"):
        return (
            "met"
            if figures["rps"] >= REGISTER_SHARE * static
            else f"**not met** (≥ {REGISTER_SHARE:.0%} of static)"
        )
    return "—"


def section(
    engine: str, size: int, results: dict, loaded: str, baseline: dict, seconds: int
) -> tuple[str, list]:
    static = results["static file"]["rps"]
    logged_in = {name: needs_login for name, _path, needs_login in PAGES}
    slower = []
    lines = [
        f"### Pages at {size} members, {engine}",
        "",
        f"gunicorn with the production settings and {(os.cpu_count() or 1) * 2 + 1} workers on 127.0.0.1; "
        f"ApacheBench, {CONCURRENCY} concurrent clients, {seconds} s per page after a warm-up of "
        f"{2 * CONCURRENCY} requests, logged in as "
        f"ABD staff; {platform.machine()}, {os.cpu_count()} CPUs, {datetime.now(UTC).date().isoformat()}. "
        f"Data: {loaded}",
        "",
        "| Page | req/s | p50 ms | p95 ms | × static | Goal | Against the baseline (req/s) |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for name, figures in results.items():
        before = baseline.get(name)
        verdict = "—"
        if before:
            ratio = figures["rps"] / before["rps"]
            verdict = f"{ratio:.2f}× ({before['rps']:.1f})"
            if ratio < 1 / SLOWER:
                slower.append(f"{engine}, {size} members, {name}: {before['rps']} → {figures['rps']} req/s")
                verdict = f"**{verdict}: slower**"
        lines.append(
            f"| {name} | {figures['rps']:.1f} | {figures['p50']} | {figures['p95']} | "
            f"{figures['rps'] / static:.3f} | {goal(name, logged_in[name], figures, static)} | {verdict} |"
        )
    return "\n".join(lines), slower


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="80,6000")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--write", action="store_true", help="write the figures into docs/benchmarks.md")
    parser.add_argument("--set-baseline", action="store_true", help="store this run as the baseline")
    args = parser.parse_args()
    baselines = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    slower = []
    for size in (int(s) for s in args.sizes.split(",")):
        engine, results, loaded = measure(size, args.seconds)
        key = f"{engine}:{size}"
        text, found = section(engine, size, results, loaded, baselines.get(key, {}), args.seconds)
        slower += found
        print(text)
        if args.write:
            write_section(f"benchmark:{key}", text)
        if args.set_baseline or (args.write and key not in baselines):
            baselines[key] = results
            BASELINE.write_text(json.dumps(baselines, indent=1, sort_keys=True) + "\n")
    for line in slower:
        print(f"SLOWER than the baseline by more than 20%: {line}")


if __name__ == "__main__":
    main()
