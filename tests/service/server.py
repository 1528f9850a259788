"""A real tmgportal under gunicorn for the service tests: its own fresh database (a SQLite file, or a
new database on the PostgreSQL server of the run), the run's shared cache (a file cache, or Redis in
another database number), demo data, and N workers on a free loopback port."""

import fcntl
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, tmp: Path, *, workers: int | None = 2):
        """`workers=None` leaves gunicorn's production default (2 x CPUs + 1)."""
        self.tmp = tmp
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ)
        self.pg_database = None
        self.app_role = None
        self.app_database_url = None
        base_url = os.environ.get("DATABASE_URL", "")
        if base_url.startswith("postgres"):
            self.pg_database = f"tmg_service_{uuid.uuid4().hex[:8]}"
            self._create_database(os.environ.get("TMG_TEST_PG_TEMPLATE"))
            self.env["DATABASE_URL"] = base_url.rsplit("/", 1)[0] + "/" + self.pg_database
            # As in production (docs/database-roles.md): migrate as the owner, serve as a role that
            # owns nothing and may only add history.
            self.app_role = f"tmg_app_{uuid.uuid4().hex[:8]}"
            self._pg_admin(f"CREATE ROLE {self.app_role} LOGIN")
            self.env["TMG_DB_APP_ROLE"] = self.app_role
            owner = urllib.parse.urlsplit(self.env["DATABASE_URL"])
            self.app_database_url = owner._replace(
                netloc=f"{self.app_role}@{owner.hostname}:{owner.port}"
            ).geturl()
        else:
            self.env["DATABASE_URL"] = f"sqlite:///{tmp / 'service.sqlite3'}"
        if os.environ.get("TMG_CACHE_URL"):
            # A Redis database of the test worker's own (8, 9, ...), apart from the suite's and the
            # browser journeys' (tests.testenv): servers of two workers never share cached pages.
            worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
            self.env["TMG_CACHE_URL"] = os.environ["TMG_CACHE_URL"].rsplit("/", 1)[0] + f"/{8 + worker}"
        else:
            self.env["TMG_CACHE_DIR"] = str(tmp / "cache")
        self.env.update(
            TMG_DEMO="1",
            DJANGO_DEBUG="0",
            TMG_REQUIRE_SECOND_FACTOR="0",
            TMG_SECURE_COOKIES="0",
            TMG_SSL_REDIRECT="0",
            TMG_HSTS_SECONDS="0",
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            TMG_BIND=f"127.0.0.1:{self.port}",
        )
        if workers:
            self.env["TMG_WORKERS"] = str(workers)
        self.log = tmp / "gunicorn.log"
        self.process = None

    def _create_database(self, template: str | None, *, name: str | None = None):
        """A fresh database; under `make test` a copy of the one it migrated once (its migrations are
        then a no-op in `prepare`). Two copies of one template at once can collide: try again."""
        import psycopg

        name = name or self.pg_database
        if not template:
            self._pg_admin(f"CREATE DATABASE {name}")
            return
        for attempt in range(20):
            try:
                self._pg_admin(f"CREATE DATABASE {name} TEMPLATE {template}")
                return
            except psycopg.errors.ObjectInUse:
                time.sleep(0.5 + attempt / 10)
        raise RuntimeError(f"the template database {template} stayed in use")

    def _pg_admin(self, sql: str):
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(sql)

    def manage(self, *args: str, stdin: str | None = None) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    def python(self, code: str) -> str:
        """Run `code` in a separate Django process on the server's database; its printed output."""
        return self.manage("shell", "--no-imports", "-c", code).strip()

    def prepare(self, members: int | None = None):
        """Migrate and load the reference and demo data; with `members`, the volume data up to that many.
        Under `make test` on PostgreSQL the demo is loaded once per run into a database that every
        server of the run copies (its migrate then only grants this server's role)."""
        demo = os.environ.get("TMG_TEST_PG_TEMPLATE") and self.pg_database and not members
        if demo:
            self._copy_demo_database()
            self.manage("migrate", "-v0")
            return ""
        self.manage("migrate", "-v0")
        self.manage("load_reference_data")
        return self.manage("load_demo_data", *(["--members", str(members)] if members else []))

    def _copy_demo_database(self):
        """The run's demo database, loaded by the first server that asks (the others wait on a file
        lock), copied into this server's database."""
        run = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getppid()))[:12]
        demo = f"service_demo_{run}"
        with open(Path(tempfile.gettempdir()) / f"tmgportal-{demo}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            import psycopg

            with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
                exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [demo]).fetchone()
            if not exists:
                self._create_database(os.environ["TMG_TEST_PG_TEMPLATE"], name=demo)
                owner = dict(self.env, DATABASE_URL=self.env["DATABASE_URL"].rsplit("/", 1)[0] + "/" + demo)
                owner.pop("TMG_DB_APP_ROLE", None)
                for command in (["migrate", "-v0"], ["load_reference_data"], ["load_demo_data"]):
                    subprocess.run(
                        [PYTHON, "manage.py", *command], cwd=ROOT, env=owner, check=True, capture_output=True
                    )
        self._pg_admin(f"DROP DATABASE {self.pg_database}")
        self._create_database(demo)

    def start(self):
        self.process = subprocess.Popen(
            [GUNICORN, "-c", "tmgportal/gunicorn.conf.py"],
            cwd=ROOT,
            env=dict(self.env, DATABASE_URL=self.app_database_url) if self.app_role else self.env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.log, "w"),  # noqa: SIM115 - closed when the process ends
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/gezondheid/", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer:\n{self.log.read_text()}")

    def stop(self):
        if self.process:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        if self.pg_database:
            self._pg_admin(f"DROP DATABASE IF EXISTS {self.pg_database} WITH (FORCE)")
            self._pg_admin(f"DROP ROLE IF EXISTS {self.app_role}")

    def worker_pids(self, path: str) -> set[str]:
        """The worker processes that answered `path`, from the request log (its lines carry the pid)."""
        pattern = re.compile(rf"tmgportal\.requests (\d+) GET {re.escape(path)} ")
        return set(pattern.findall(self.log.read_text()))


@contextmanager
def running_server(tmp: Path, *, workers: int):
    """A prepared server with demo data under gunicorn, stopped (and its database dropped) after."""
    running = Server(tmp, workers=workers)
    try:
        running.prepare()
        running.start()
        yield running
    finally:
        running.stop()


class FormParser(HTMLParser):
    """The fields of the forms on a page, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"_method": (attrs.get("method") or "get").lower(), "_fields": {}})
        if not self.forms:
            return
        fields = self.forms[-1]["_fields"]
        if tag == "input" and attrs.get("name"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            if attrs.get("type") != "submit":
                fields[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and ("selected" in attrs or self._select not in fields):
            fields[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            fields[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["_fields"][self._textarea] += data


def post_form(html: str) -> dict:
    """The page's main form: the POST form with the most fields (not the language switch)."""
    parser = FormParser()
    parser.feed(html)
    return max((form["_fields"] for form in parser.forms if form["_method"] == "post"), key=len)


class Browser:
    """A logged-in session with its own cookies, as one user in one browser."""

    def __init__(self, server: Server):
        self.server = server
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def get(self, path: str):
        return self.request(path)

    def request(self, path: str, data: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(
            self.server.url + path, data=body, headers={"Referer": self.server.url + path}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.jar if c.name == name)

    def log_in(self, username: str, password: str):
        status, page = self.get("/inloggen/")
        fields = post_form(page)
        fields.update(username=username, password=password)
        status, _ = self.request("/inloggen/", fields)
        if status != 302:
            raise RuntimeError(f"login of {username} answered {status}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
