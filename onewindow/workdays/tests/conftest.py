import pytest

from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import RegionFactory, staff
from onewindow.workdays import selectors


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    selectors.work_calendar_clear_cache()
    yield
    selectors.work_calendar_clear_cache()


@pytest.fixture
def system_admin(db):
    return staff(Role.SYSTEM_ADMIN, RegionFactory())
