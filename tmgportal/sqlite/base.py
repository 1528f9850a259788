"""SQLite, the embedded default, under more than one worker: a request that only reads never takes
the write lock.

Every request runs in one transaction (ATOMIC_REQUESTS). Writing requests begin it IMMEDIATE, so
the write lock is taken at BEGIN and two writers never deadlock half-way (settings). A request with a
safe method (GET, HEAD, OPTIONS) begins it DEFERRED: in write-ahead-log mode it reads its snapshot
while another worker writes, instead of waiting for that writer's lock and failing after the busy
timeout. tmgportal.middleware.ReadOnlyRequestMiddleware marks such requests."""

from contextvars import ContextVar

from django.db.backends.sqlite3 import base

reading_only: ContextVar[bool] = ContextVar("tmgportal_sqlite_reading_only", default=False)


class DatabaseWrapper(base.DatabaseWrapper):
    def _start_transaction_under_autocommit(self):
        if reading_only.get():
            self.cursor().execute("BEGIN DEFERRED")
        else:
            super()._start_transaction_under_autocommit()
