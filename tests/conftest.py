import pytest

from tests.factories import (
    AppointmentFactory,
    FunctionFactory,
    MinistryFactory,
    abd_staff_user,
    office_user,
)


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
