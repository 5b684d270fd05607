"""Background work in the admin: the system admin reads periodic runs, jobs and every task attempt
(with the traceback of a failure); nobody edits them, and the other administrators do not see them."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from onewindow.jobs.models import ScheduledRun
from onewindow.jobs.tasks import run_scheduled
from onewindow.jobs.tests.test_schedules import DATABASE_BACKEND, at
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import RegionFactory, staff

pytestmark = pytest.mark.django_db
PAGES = ["/admin/jobs/scheduledrun/", "/admin/jobs/job/", "/admin/django_tasks_database/dbtaskresult/"]


@pytest.mark.parametrize(("role", "status"), [(Role.SYSTEM_ADMIN, 200), (Role.SECURITY_ADMIN, 403)])
def test_the_system_admin_reads_background_work(client, role, status) -> None:
    client.force_login(staff(role, RegionFactory()))
    for page in PAGES:
        assert client.get(page).status_code == status


def test_a_failed_attempt_shows_its_traceback(client, settings) -> None:
    settings.TASKS = DATABASE_BACKEND
    ScheduledRun.objects.create(schedule="audit.checkpoint", slot=at(9, 0), error="1: RuntimeError('x')")
    result = DBTaskResult.objects.get(pk=run_scheduled.enqueue("audit.checkpoint", at(9, 0).isoformat()).id)
    result.set_failed(RuntimeError("the provider is down"))
    client.force_login(staff(Role.SYSTEM_ADMIN, RegionFactory()))
    assert "FAILED" in client.get(PAGES[2]).content.decode()
    detail = client.get(f"{PAGES[2]}{result.pk}/change/").content.decode()
    assert "the provider is down" in detail
    assert "audit.checkpoint" in client.get(PAGES[0]).content.decode()
