"""KB speed figures that belong in docs, not in timed tests (part of `make benchmark`).

Builds a throw-away SQLite database with the reference data and 50 fictitious members whose
extension was approved, then measures: one KB PDF, a batch of 50 KBs as a zip, the public register
(cold and cached). Writes docs/benchmarks.md."""

import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
workdir = tempfile.mkdtemp(prefix="tmg-bench-")
os.environ.update(
    {
        "TMG_ENV_FILE": "/dev/null",
        "DJANGO_SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_DEBUG": "0",
        "TMG_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
        "TMG_MEDIA_ROOT": f"{workdir}/media",
        "TMG_WHITENOISE_USE_FINDERS": "1",
        "DJANGO_SETTINGS_MODULE": "tmgportal.settings",
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
)

import django  # noqa: E402

from scripts.benchdocs import write_section  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

BATCH = 50


def main():
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    from appointments import services
    from appointments.models import Function
    from appointments.views.kb import _approved_in, _zip
    from salaries.services import placement_create
    from tests.factories import AppointmentFactory, abd_staff_user, approved_extension, office_user
    from tmgportal.system import system_user

    abd = abd_staff_user("bench-abd")
    functions = list(Function.objects.filter(group="A")[:BATCH])
    while len(functions) < BATCH:
        functions.append(
            services.function_create(
                user=system_user(),
                title="directeur-generaal",
                organisation=f"Bench-DG {len(functions)}",
                ministry=functions[0].ministry,
                group="A",
                source="benchmark",
            )
        )
    offices = {}
    extensions = []
    for function in functions:
        appointment = AppointmentFactory(in_function=True, function=function, start_date=date(2020, 1, 1))
        if function.ministry_id not in offices:
            offices[function.ministry_id] = office_user(function.ministry)
        extension = approved_extension(
            appointment, proposer=abd, office=offices[function.ministry_id], proposed_end=date(2029, 1, 1)
        )
        # Every fact the KB prints is recorded, so each one can become final.
        placement_create(
            user=abd,
            member=appointment.member,
            appointment=appointment,
            valid_from=date(2020, 1, 1),
            step=3,
            motivation="Ervaring (benchmark)",
        )
        services.extension_record_kb(
            user=abd,
            extension=extension,
            proposal_date=timezone.localdate(),
            proposal_reference=f"2026-{extension.pk:07d}",
            council_date=timezone.localdate(),
            kb_date=timezone.localdate(),
            kb_number=f"KB-BENCH-{extension.pk}",
        )
        extensions.append(extension)

    single = []
    for extension in extensions[:5]:
        extension.refresh_from_db()
        start = time.perf_counter()
        services.kb_generate(
            user=abd,
            appointment=extension.appointment,
            kind="extension",
            extension=extension,
            amount_checked=True,
        )
        single.append(time.perf_counter() - start)

    month = timezone.localdate().replace(day=1)
    start = time.perf_counter()
    documents = [
        services.kb_generate(
            user=abd, appointment=e.appointment, kind="extension", extension=e, amount_checked=True
        )
        for e in _approved_in(month)
    ]
    archive = _zip(documents)
    batch_seconds = time.perf_counter() - start

    client = Client()
    url = reverse("public_register")
    from appointments.register import clear_cache

    clear_cache()
    start = time.perf_counter()
    response = client.get(url)
    cold = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    cached = []
    for _ in range(20):
        start = time.perf_counter()
        client.get(url)
        cached.append(time.perf_counter() - start)

    lines = [
        "### KB documents",
        "",
        "Written by `make benchmark` (`scripts/benchmark_kb.py`); figures from one run, not a timed test.",
        "",
        f"- Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, SQLite",
        f"- Date: {timezone.localdate().isoformat()}",
        "",
        "| Measure | Seconds |",
        "|---|---|",
        f"| One KB PDF (median of {len(single)}) | {statistics.median(single):.3f} |",
        f"| Batch of {len(documents)} extension KBs as one zip ({len(archive.content) // 1024} KiB) | {batch_seconds:.2f} |",
        f"| Per KB in the batch | {batch_seconds / max(len(documents), 1):.3f} |",
        f"| Public register, cold (builds and caches, {BATCH} members) | {cold:.3f} |",
        f"| Public register, cached (median of {len(cached)}) | {statistics.median(cached):.4f} |",
        "",
    ]
    write_section("benchmark:KB", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
