"""SQLite, the embedded default, under gunicorn while another process holds its write lock: reads
answer at once, a write waits TMG_SQLITE_TIMEOUT and gets a Dutch 503. Skipped on PostgreSQL."""

import sqlite3
import time

import pytest

from .server import Browser, Server, post_form

pytestmark = pytest.mark.service


def test_sqlite_under_a_held_write_lock_reads_and_answers_a_dutch_503_for_writes(tmp_path):
    """Another process holds SQLite's write lock (a long import, a backup gone wrong): pages that only
    read answer at once; a save waits TMG_SQLITE_TIMEOUT and then gets a Dutch 503, never a 500."""
    server = Server(tmp_path, workers=2)
    if server.pg_database:
        server.stop()
        pytest.skip("PostgreSQL: readers never wait for writers")
    server.env["TMG_SQLITE_TIMEOUT"] = "2"
    try:
        server.prepare()
        server.start()
        browser = Browser(server)
        browser.log_in("abd", "demo-abd-2026")
        pk = server.python("from appointments.models import Member; print(Member.objects.first().pk)")
        status, page = browser.get(f"/leden/{pk}/wijzigen/")
        fields = post_form(page) | {"phone": "070 555 55 55"}
        holder = sqlite3.connect(server.env["DATABASE_URL"].removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            started = time.monotonic()
            for path in ("/leden/", f"/leden/{pk}/", "/dashboard/", "/openbaar/nevenwerkzaamheden/"):
                assert browser.get(path)[0] == 200, path
            assert time.monotonic() - started < 2 * 4  # none waited for the lock's timeout
            status, body = browser.request(f"/leden/{pk}/wijzigen/", fields)
            assert status == 503 and "De database is even bezet" in body
        finally:
            holder.rollback()
            holder.close()
        assert browser.request(f"/leden/{pk}/wijzigen/", fields)[0] == 302  # and then it saves
    finally:
        server.stop()
