"""SQL queries per step of a five-department lifecycle, pinned (issue 3 aimed at 30 in all; see below).

The lifecycle is the benchmark's shape: an online submission of a one-stage bundle of five
departments, the clerk's acceptance (the fan-out to five tasks), five approvals and the lead
department's joint decision, each step its own transaction. The permission queries, the calendar
revision check and the case lock are part of every count: they are what a real request pays.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onewindow.audit.models import Event
from onewindow.cases.domain import CaseStatus, TaskStatus
from onewindow.cases.models import Case, CaseMatter, Task
from onewindow.cases.services import intake, review
from onewindow.cases.sources import source_of
from onewindow.cases.tests.factories import (
    applicant_with_user,
    clerk_for,
    coordinator_for,
    department,
    form_values,
    published_matter,
    region,
    required_files,
    reviewer_for,
)
from onewindow.catalogue.models import BundleVersion
from onewindow.catalogue.tests.factories import BundleVersionFactory, StageFactory, StageMatterFactory
from onewindow.workdays.selectors import work_calendar

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEPARTMENTS = 5
# Counted inside the test transaction: each service's atomic block is a SAVEPOINT and a RELEASE here,
# as it is a BEGIN and a COMMIT in production (2 of each step's count, 16 in all). Each reviewer and
# clerk acts once, so each step reads its actor's memberships, as a request does (in the statement
# that locks the case). Every step then is, on PostgreSQL: the statement that locks and reads (for a
# task, with its stage's tasks; at acceptance and the decision, with the case's matters and materials;
# at submission, the day's case number), one ORM statement per row save or batch of added rows, and
# per record written a timeline INSERT and one audit statement (the events of a fan-out in one): a
# decision is 4, the last one of the stage 7 (the case's move too), acceptance 8, submission 6, the
# joint decision 5. SQLite writes the audit events in two statements (no data-modifying CTE).
# The hand-written deferred writes that made every step two statements on PostgreSQL (32 in all) were
# dropped for the ORM (docs/adr/0002): 26 statements more, measured in docs/benchmarks.md.
# The decision ends the case: its listeners (cases.services.endings) read too; the certificates' one
# statement (which of the approved matters issue a certificate: none here) is the decision's +1.
# Fees asks once, when a stage opens (accept), whether the stage charges, and the join asks once
# (last approve) whether a bill holds the stage (cases.services.stage_hooks): one query each.
MAX_QUERIES = {
    "sqlite": {"submit": 9, "accept": 13, "approve": 7, "last approve": 12, "decide": 9},
    "postgresql": {"submit": 8, "accept": 11, "approve": 6, "last approve": 10, "decide": 8},
}
LIFECYCLE_MAX = {"sqlite": 71, "postgresql": 61}


def five_department_bundle(departments: int = DEPARTMENTS) -> BundleVersion:
    """One stage, one matter per department, the first department leads."""
    home = region()
    versions = [published_matter(department=department(home)) for _ in range(departments)]
    bundle = BundleVersionFactory.create(published=True, name="五部门并联审批")
    stage = StageFactory.create(
        bundle_version=bundle, position=1, name="并联审批", lead_department=versions[0].matter.department
    )
    for version in versions:
        StageMatterFactory.create(stage=stage, matter=version.matter, matter_version=version)
    bundle.unified_form_schema = versions[0].form_schema
    bundle.save(update_fields=["unified_form_schema"])
    return bundle


@pytest.fixture
def monday(time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def people(monday):
    bundle = five_department_bundle()
    applicant = applicant_with_user()
    departments = [
        sm.matter.department for sm in bundle.stages.get().stage_matters.select_related("matter__department")
    ]
    home = departments[0].parent
    work_calendar()  # the process-wide calendar and catalogue caches are warm in a running server
    source_of(matter_version=None, bundle_version=bundle)
    return {
        "bundle": bundle,
        "applicant": applicant,
        "files": required_files(bundle),
        "clerk": clerk_for(home),
        "reviewers": {d.pk: reviewer_for(d) for d in departments},
        "coordinator": coordinator_for(departments[0]),
    }


def run_lifecycle(people: dict, counts: dict[str, int]) -> Case:
    def step(name: str, call):
        with CaptureQueriesContext(connection) as captured:
            result = call()
        counts[name] = len(captured)
        return result

    case = step(
        "submit",
        lambda: intake.case_submit(
            actor=people["applicant"].user,
            applicant=people["applicant"],
            bundle_version=people["bundle"],
            form_data=form_values(),
            files=people["files"],
            channel="online",
        ),
    )
    case = step("accept", lambda: intake.case_accept(actor=people["clerk"], case=case))
    tasks = list(Task.objects.filter(case=case).order_by("pk"))
    for n, task in enumerate(tasks, start=1):
        reviewer = people["reviewers"][task.department_id]
        step(f"approve {n}", lambda t=task, r=reviewer: review.task_approve(actor=r, task=t, opinion="同意"))
    results = {cm.pk: CaseMatter.Result.APPROVED for cm in CaseMatter.objects.filter(case=case)}
    return step("decide", lambda: review.case_decide(actor=people["coordinator"], case=case, results=results))


def test_each_step_of_the_five_department_lifecycle_stays_within_its_pinned_query_count(people):
    counts: dict[str, int] = {}
    case = run_lifecycle(people, counts)
    pinned = MAX_QUERIES[connection.vendor]
    assert case.status == CaseStatus.COMPLETED
    assert counts["submit"] <= pinned["submit"]
    assert counts["accept"] <= pinned["accept"]
    assert all(counts[f"approve {n}"] <= pinned["approve"] for n in range(1, DEPARTMENTS))
    assert counts[f"approve {DEPARTMENTS}"] <= pinned["last approve"]
    assert counts["decide"] <= pinned["decide"]


def test_the_whole_five_department_lifecycle_stays_within_its_pinned_query_count(people, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIFECYCLE_MAX[connection.vendor] + 2):  # + the two reads between the steps
        case = run_lifecycle(people, {})
    assert Task.objects.filter(case=case, status=TaskStatus.APPROVED).count() == DEPARTMENTS
    assert Event.objects.filter(stream=f"case:{case.pk}").count() == 2 + DEPARTMENTS + DEPARTMENTS + 2


def test_the_fan_out_writes_one_task_timeline_row_and_audit_event_per_department_in_order(people):
    case = run_lifecycle(people, {})
    opened = Event.objects.filter(stream=f"case:{case.pk}", action="cases.task_open").order_by("seq")
    tasks = list(Task.objects.filter(case=case).order_by("pk"))
    assert [e.changes["task_id"] for e in opened] == [t.pk for t in tasks]
    assert [e.organisation_id for e in opened] == [t.department_id for t in tasks]
    assert [e.seq for e in opened] == [3, 4, 5, 6, 7]


@pytest.mark.django_db(transaction=True)
def test_a_batch_of_audit_events_chains_exactly_as_one_by_one():
    from django.db import transaction

    from onewindow.audit import verification
    from onewindow.audit.services import AuditEntry, audit_record, audit_record_many

    entries = [AuditEntry(f"bench.step_{n}", "bench.target", n, None, None, {"n": n}) for n in range(4)]
    with transaction.atomic():
        audit_record(stream="one-by-one", action="bench.first", target_type="bench.target", target_id=0)
        for entry in entries:
            audit_record(stream="one-by-one", action=entry.action, target_type=entry.target_type,
                         target_id=entry.target_id, changes=entry.changes)  # fmt: skip
    with transaction.atomic():
        audit_record(stream="batch", action="bench.first", target_type="bench.target", target_id=0)
        batch = audit_record_many(stream="batch", entries=entries)
    assert [e.seq for e in batch] == [2, 3, 4, 5]
    one = list(Event.objects.filter(stream="one-by-one").order_by("seq").values_list("seq", "action", "changes"))
    many = list(Event.objects.filter(stream="batch").order_by("seq").values_list("seq", "action", "changes"))
    assert one == many
    stored = list(Event.objects.filter(stream="batch").order_by("seq"))
    assert [e.prev_hash for e in stored[1:]] == [e.hash for e in stored[:-1]]
    assert [e.pk for e in stored[1:]] == [e.pk for e in batch]
    assert verification.verify_log().ok
