"""The load of tmgportal in use: ABD staff browsing and editing member files, ministers'
offices deciding on extensions, anonymous visitors on the public register and its feeds. Any server
error, or any answer other than the one the page gives a user, is a failure.

Run by scripts/loadtest.py against gunicorn; by hand:
    locust -f scripts/locustfile.py --host http://127.0.0.1:8000 --headless -u 50 -r 10 -t 60s
Demo accounts (TMG_DEMO=1, no second factor) are the users."""

import random
import re

from locust import HttpUser, between, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MEMBER_LINK = re.compile(r'href="/leden/(\d+)/"')
APPOINTMENT_LINK = re.compile(r'href="/benoemingen/(\d+)/"')
DECIDE_LINK = re.compile(r'href="/verlengingen/(\d+)/beoordelen/"')
VERSION = re.compile(r'name="version" value="(\d+)"')
MAIN_FORM_FIELDS = re.compile(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"')


class LoggedIn(HttpUser):
    abstract = True
    username = password = ""

    def on_start(self):
        page = self.client.get("/inloggen/", name="login page")
        token = CSRF.search(page.text).group(1)
        with self.client.post(
            "/inloggen/",
            {"csrfmiddlewaretoken": token, "username": self.username, "password": self.password},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")


class AbdStaff(LoggedIn):
    weight = 3
    wait_time = between(1, 3)
    username, password = "abd", "demo-abd-2026"
    members: list = []

    def on_start(self):
        super().on_start()
        page = self.client.get("/leden/", name="member list")
        self.members = MEMBER_LINK.findall(page.text) or ["1"]

    @task(3)
    def member_list(self):
        self.client.get("/leden/", name="member list")

    @task(4)
    def member_detail(self):
        page = self.client.get(f"/leden/{random.choice(self.members)}/", name="member detail")
        appointments = APPOINTMENT_LINK.findall(page.text)
        if appointments:
            self.client.get(f"/benoemingen/{random.choice(appointments)}/", name="dossier")

    @task(2)
    def dashboard(self):
        self.client.get("/dashboard/", name="dashboard")

    @task(2)
    def pay(self):
        self.client.get(f"/salaris/leden/{random.choice(self.members)}/", name="pay page")

    @task(1)
    def history(self):
        self.client.get(f"/leden/{random.choice(self.members)}/historie/", name="history")

    @task(1)
    def wnt(self):
        self.client.get("/salaris/wnt/", name="WNT overview")

    @task(1)
    def edit_member(self):
        """Change a phone number: saved (302), or told that someone else saved first (200)."""
        pk = random.choice(self.members)
        page = self.client.get(f"/leden/{pk}/wijzigen/", name="member edit form")
        form = page.text.split('id="main"', 1)[-1]
        fields = dict(MAIN_FORM_FIELDS.findall(form))
        fields.pop("language", None)
        fields["phone"] = f"070 {random.randint(1000000, 9999999)}"
        with self.client.post(
            f"/leden/{pk}/wijzigen/",
            fields,
            name="member edit save",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302 or "gewijzigd" in response.text:
                response.success()
            else:
                response.failure(f"edit answered {response.status_code} without the conflict message")


class MinisterOffice(LoggedIn):
    weight = 1
    wait_time = between(2, 5)
    username, password = "bureau-jenv", "demo-bureau-jenv-2026"

    @task(3)
    def inbox(self):
        page = self.client.get("/verlengingen/", name="office inbox")
        pending = DECIDE_LINK.findall(page.text)
        if pending:
            self.decide(random.choice(pending))

    def decide(self, pk):
        page = self.client.get(f"/verlengingen/{pk}/beoordelen/", name="office decision form")
        token, version = CSRF.search(page.text), VERSION.search(page.text)
        if not (token and version):
            return
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "version": version.group(1),
            "decision": "approve",
            "remarks": "Akkoord (belastingtest)",
        }
        with self.client.post(
            f"/verlengingen/{pk}/beoordelen/",
            data,
            name="office decision",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # Another office user may have decided it a moment earlier: the form says so (200).
            if response.status_code in (200, 302):
                response.success()


class Visitor(HttpUser):
    weight = 3
    wait_time = between(1, 4)

    @task(4)
    def register(self):
        self.client.get("/openbaar/nevenwerkzaamheden/", name="register page")

    @task(1)
    def register_json(self):
        self.client.get("/openbaar/nevenwerkzaamheden.json", name="register JSON")

    @task(1)
    def register_csv(self):
        self.client.get("/openbaar/nevenwerkzaamheden.csv", name="register CSV")

    @task(1)
    def register_atom(self):
        self.client.get("/openbaar/nevenwerkzaamheden.atom", name="register Atom")
