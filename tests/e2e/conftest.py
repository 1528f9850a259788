"""Real-browser tests: Debian's chromium driven by Playwright against pytest-django's live server;
axe-core (shipped inside axe-playwright-python, never served to users) checks every page visited
against WCAG 2.1 A and AA. Screenshots go to test-artifacts/e2e/."""

import os
import re
import time
from base64 import b32decode
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import TOTP
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; the live server has its own thread and
# the test only reads the database between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: make test installs it with apt-get.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            env={**os.environ, "LANG": "nl_NL.UTF-8", "LANGUAGE": "nl"},
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def totp_code(secret: str, steps_ahead: int = 0) -> str:
    key = secret.replace(" ", "")
    totp = TOTP(b32decode(key + "=" * (-len(key) % 8)))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


# What sticks out beyond the viewport, to name it in the failure.
WIDEST_ELEMENTS = """width => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > width + 1 && !e.parentElement.closest('.table-responsive'))
  .slice(0, 6).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.')
    + ' ' + Math.round(e.getBoundingClientRect().right))"""


class Visitor:
    """One person in a browser context: visits pages, checks each with axe, saves a screenshot."""

    axe = Axe()

    def __init__(self, browser, base_url, name, width=1280, full_page=False):
        self.context = browser.new_context(
            locale="nl-NL",
            viewport={"width": width, "height": 900 if width > 600 else 844},
            accept_downloads=True,
            has_touch=width <= 600,
        )
        self.width = width
        # A screenshot of what the screen shows, or (full_page) of the whole page.
        self.full_page = full_page
        self.page = self.context.new_page()
        self.base_url = base_url
        self.name = name
        self.violations = []
        self.count = 0

    def check(self):
        """axe on the page as it is now, and a screenshot of it."""
        self.count += 1
        slug = (
            re.sub(r"[^a-z0-9]+", "-", self.page.url.removeprefix(self.base_url).lower()).strip("-")
            or "start"
        )
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        # JPEG of what the screen shows unless the whole page is asked for: cheap enough to take of
        # every page the journeys visit, which the suite's run time feels.
        self.page.screenshot(
            path=ARTIFACTS / f"{self.name}-{self.count:02d}-{slug[:60]}.jpg",
            full_page=self.full_page,
            type="jpeg",
            quality=70,
        )
        results = self.axe.run(self.page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
        if results.violations_count:
            self.violations.append(f"{self.page.url} at {self.width} px\n{results.generate_report()}")
        # No page is wider than the screen: a table too wide scrolls in its own region.
        document_width = self.page.evaluate("document.documentElement.scrollWidth")
        if document_width > self.width:
            wide = self.page.evaluate(WIDEST_ELEMENTS, self.width)
            self.violations.append(f"{self.page.url}: {document_width} px wide at {self.width} px: {wide}")

    def visit(self, path):
        self.page.goto(self.base_url + path)
        self.check()

    # The authenticator app of each person: the key typed in at enrolment, and the last time step
    # used (a code is accepted once, so the next login takes the next step's code).
    apps: dict = {}

    def log_in(self, username, password):
        """Password, then the second factor: enrolment the first time (key read from the page,
        recovery codes acknowledged), a code from the app every later time."""
        self.visit("/inloggen/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.click("main button[type=submit]")
        if "/tweede-factor/instellen/" in self.page.url:
            self.apps[username] = [self.page.inner_text("#secret-key"), 0]
            self._type_code(username)
            assert self.page.locator("#recovery-codes li").count() == 10
            self.click("main a.btn-primary")
        elif "/tweede-factor/" in self.page.url:
            self._type_code(username)

    def _type_code(self, username):
        app = self.apps[username]
        app[1] += 1
        self.page.fill("#id_code", totp_code(app[0], steps_ahead=app[1] - 1))
        self.click("main form[method=post] button[type=submit]")

    def click(self, selector):
        """Click something that loads a new page, and check that page."""
        with self.page.expect_navigation():
            self.page.click(selector)
        self.check()

    def submit(self, selector="main form[method=post] button[type=submit]"):
        self.click(selector)

    def close(self):
        self.context.close()


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """The live server serves static files through the finders, which know no hashed names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def visitors(browser, live_server):
    created = []

    def make(name, width=1280, full_page=False):
        visitor = Visitor(browser, live_server.url, name, width, full_page)
        created.append(visitor)
        return visitor

    yield make
    problems = [v for visitor in created for v in visitor.violations]
    for visitor in created:
        visitor.close()
    assert not problems, "axe found WCAG 2.1 A/AA violations:\n" + "\n\n".join(problems)
