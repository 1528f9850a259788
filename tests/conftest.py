import os
from datetime import UTC, datetime, time

import pytest
import time_machine
from django.conf import settings
from django.db.models import QuerySet
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import (
    AppointmentFactory,
    FunctionFactory,
    MinistryFactory,
    abd_staff_user,
    office_user,
)
from tmgportal.history import is_tracked, may_write_in_bulk

# `make test` runs the suite on SQLite and again on PostgreSQL (scripts/test.sh). The second engine
# adds nothing to a test that touches no database, or to one marked `once`: with TMG_TEST_ONCE_ELSEWHERE
# set (the SQLite pass), those are left to the PostgreSQL pass.
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup"}


def runs_on_every_engine(item) -> bool:
    if item.get_closest_marker("once"):
        return False
    return (
        item.get_closest_marker("django_db") is not None
        or item.get_closest_marker("service") is not None
        or bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))
    )


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("TMG_TEST_ONCE_ELSEWHERE"):
        return
    kept, left = [], []
    for item in items:
        (kept if runs_on_every_engine(item) else left).append(item)
    config.hook.pytest_deselected(items=left)
    items[:] = kept


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the site's language. A request in English (the language cookie, an
    Accept-Language header) leaves English active in the thread through LocaleMiddleware, and under
    xdist the next test on that worker would otherwise read its messages in English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def ministry_x(db):
    return MinistryFactory(name="Ministerie van Proefzaken X", abbreviation="PZX")


@pytest.fixture
def ministry_y(db):
    return MinistryFactory(name="Ministerie van Proefzaken Y", abbreviation="PZY")


@pytest.fixture
def abd_user(db):
    return abd_staff_user()


@pytest.fixture
def office_x(ministry_x):
    return office_user(ministry_x)


@pytest.fixture
def office_y(ministry_y):
    return office_user(ministry_y)


@pytest.fixture
def abd_client(client, abd_user):
    client.force_login(abd_user)
    return client


@pytest.fixture
def office_x_client(client, office_x):
    client.force_login(office_x)
    return client


@pytest.fixture
def office_y_client(client, office_y):
    client.force_login(office_y)
    return client


@pytest.fixture
def appointment_x(ministry_x):
    """A member in function at ministry X."""
    return AppointmentFactory(in_function=True, function=FunctionFactory(ministry=ministry_x))


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Password hashing is the slow part of creating users; tests need no real strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class BulkWriteOnTrackedModel(AssertionError):
    """A queryset write skips the history rows (who, when, why) that every change must leave."""


GUARDED_WRITES = ("update", "delete", "bulk_create", "bulk_update")


@pytest.fixture(autouse=True, scope="session")
def bulk_writes_on_tracked_models_raise():
    """During the whole test run, QuerySet.update/delete/bulk_create/bulk_update on a model with
    history raise, whatever the path to the queryset (manager, related manager, a queryset kept in a
    variable, _default_manager); only the retention pass (tmgportal.history.retention_pass) and the
    volume generator's copies (tmgportal.history.copying_with_history) may."""
    originals = {name: getattr(QuerySet, name) for name in GUARDED_WRITES}

    def guarded(name):
        original = originals[name]

        def write(self, *args, **kwargs):
            if is_tracked(self.model) and not may_write_in_bulk():
                raise BulkWriteOnTrackedModel(
                    f"QuerySet.{name}() on {self.model.__name__} outside the retention pass"
                )
            return original(self, *args, **kwargs)

        return write

    for name in GUARDED_WRITES:
        setattr(QuerySet, name, guarded(name))
    yield
    for name, original in originals.items():
        setattr(QuerySet, name, original)


@pytest.fixture(autouse=True, scope="session")
def force_login_includes_the_second_factor():
    """`force_login` skips the password; in tests it skips the second factor as well, as if the user
    had entered a code. The real sequence (password, enrolment, code) is tested through the forms
    in test_second_factor and in the browser journeys."""
    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="test", confirmed=True
        )
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    Client.force_login = force_login
    yield
    Client.force_login = original


# Every test runs on this day, or on the day of its `@pytest.mark.today(date)` marker (set before
# any fixture, so logins happen on that day too); tests may travel further themselves. No test
# depends on the real date.
TEST_TODAY = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_today(request):
    marker = request.node.get_closest_marker("today")
    when = datetime.combine(marker.args[0], time(10, 0), tzinfo=UTC) if marker else TEST_TODAY
    with time_machine.travel(when, tick=True):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """The cache is shared (a file cache, or Redis on the PostgreSQL run) and outlives each test's
    rolled-back transaction: every test starts with it empty."""
    from django.core.cache import cache

    cache.clear()
