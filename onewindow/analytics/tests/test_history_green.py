"""The green channel in the history: the plan (pure) puts a share of the enterprises' investment-project cases on
it, reviewed on the shorter limit; written, they are marked as `case_mark_green_channel` marks them, and the
report's green-channel table compares them with the ordinary cases of the same matters."""

from __future__ import annotations

import datetime as dt
import io
from statistics import mean

import pytest
from django.core.management import call_command

from onewindow.analytics.figures.selectors import Filters, Period
from onewindow.analytics.history.plan import SHANGHAI, MatterSpec, PlannedCase, plan_history
from onewindow.analytics.history.plan_green import GREEN_SHARE, green_spec, plan_green
from onewindow.analytics.history.write import history_write
from onewindow.analytics.report.selectors import INDUSTRIAL_BUNDLE
from onewindow.analytics.report.tables import economy_for
from onewindow.analytics.tests.history_district import staff_district
from onewindow.analytics.tests.test_history_plan import CALENDAR, NOW, PRODUCTS
from onewindow.audit.models import Event
from onewindow.cases.domain import green_channel_limit
from onewindow.cases.models import Case, Task
from onewindow.cases.tests.factories import (
    department,
    published_bundle,
    published_matter,
    region,
)
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import staff

# --- the plan (no database) -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ordinary() -> list[PlannedCase]:
    return plan_history(products=PRODUCTS, calendar=CALENDAR, seed=3, n=6000, now=NOW)


@pytest.fixture(scope="module")
def green(ordinary: list[PlannedCase]) -> list[PlannedCase]:
    return plan_green(ordinary, products=PRODUCTS, eligible={2}, calendar=CALENDAR, seed=3, now=NOW)


def is_green(case: PlannedCase) -> bool:
    return any(step.action == "green_channel" for step in case.steps)


def test_a_share_of_the_enterprises_cases_of_eligible_matters_is_green_and_no_other(ordinary, green) -> None:
    marked = [case for case in green if is_green(case)]
    assert {(case.product, case.applicant_kind) for case in marked} == {(2, "enterprise")}
    candidates = [c for c in ordinary if c.product == 2 and c.applicant_kind == "enterprise"]
    assert GREEN_SHARE - 0.08 < len(marked) / len(candidates) < GREEN_SHARE + 0.08
    assert all(after == before for before, after in zip(ordinary, green, strict=True) if not is_green(after))


def test_the_office_marks_it_right_after_submission_before_any_intake_step(green) -> None:
    for case in filter(is_green, green):
        assert [step.action for step in case.steps[:2]] == ["submit", "green_channel"]
        assert case.steps[1].at - case.steps[0].at < dt.timedelta(minutes=2)
        assert [step.at for step in case.steps] == sorted(step.at for step in case.steps)
        assert case.steps[-1].at <= NOW


def test_green_cases_are_reviewed_faster_than_the_ordinary_ones_of_the_same_matter(green) -> None:
    def review_days(case: PlannedCase) -> float | None:
        accepted = next((s.at for s in case.steps if s.action == "accept"), None)
        decided = next((s.at for s in case.steps if s.action in ("task_approve", "task_reject")), None)
        return (decided - accepted).total_seconds() / 86400 if accepted and decided else None

    fast = [d for c in green if c.product == 2 and is_green(c) and (d := review_days(c)) is not None]
    slow = [d for c in green if c.product == 2 and not is_green(c) and (d := review_days(c)) is not None]
    assert fast and mean(fast) < 0.7 * mean(slow)


def test_the_green_product_halves_each_limit_and_keeps_a_same_day_matter_same_day() -> None:
    spec = green_spec(PRODUCTS[3])
    assert [[m.promised_limit_days for m in stage] for stage in spec.stages] == [[3, 4], [5]]
    assert green_spec(PRODUCTS[1]).stages == ((MatterSpec(2, 0),),)


def test_the_same_seed_marks_the_same_cases(ordinary) -> None:
    def again(seed: int) -> list[PlannedCase]:
        return plan_green(ordinary, products=PRODUCTS, eligible={0, 2}, calendar=CALENDAR, seed=seed, now=NOW)

    assert again(5) == again(5) and again(5) != again(6)
    assert plan_green(ordinary, products=PRODUCTS, eligible=(), calendar=CALENDAR, seed=5, now=NOW) == ordinary
    same_day = plan_green(ordinary, products=PRODUCTS, eligible={1}, calendar=CALENDAR, seed=5, now=NOW)
    assert same_day == ordinary  # 即办件: nothing to gain


# --- written ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def written(module_db):
    home = region()
    bundle = published_bundle(in_region=home, promised_limit_days=8)
    bundle.bundle.code = INDUSTRIAL_BUNDLE
    bundle.bundle.save(update_fields=["code"])
    matters = [published_matter(department=department(home), promised_limit_days=days) for days in (0, 5)]
    staff_district(home, bundle, matters)
    office, agent = staff(Role.PROJECT_OFFICE, home), staff(Role.AGENT, home)
    history_write(700, seed=4)
    return office, agent, staff(Role.LEADER, home)


def test_green_cases_are_marked_as_the_service_marks_them(written) -> None:
    office, agent, _leader = written
    green = Case.objects.filter(is_green_channel=True)
    assert green.count() >= 5
    assert set(green.values_list("agent", flat=True)) == {agent.pk}
    assert green.filter(bundle_version__isnull=False).exists()  # the bundle's cases too (key projects' approvals)
    for case in green.prefetch_related("timeline", "tasks__case_matter__matter_version"):
        first, marked = list(case.timeline.order_by("pk"))[:2]
        assert first.action == "case_submit"
        assert (marked.action, marked.actor, marked.is_public) == ("case_green_channel", office, False)
        event = Event.objects.get(stream=f"case:{case.pk}", seq=2)
        assert event.changes["is_green_channel"] == [False, True] and event.changes["agent_id"] == [None, agent.pk]
        for task in case.tasks.all():
            promised = task.case_matter.matter_version.promised_limit_days
            assert task.is_green_channel and task.limit_days == green_channel_limit(promised)
    assert not Task.objects.filter(is_green_channel=True, case__is_green_channel=False).exists()


def test_the_reports_green_channel_table_compares_them_with_the_ordinary_cases(written) -> None:
    _office, _agent, leader = written
    today = dt.datetime.now(SHANGHAI).date()
    tables = economy_for(leader, Filters(Period(today - dt.timedelta(days=366), today))).tables
    table = next(table for table in tables if table.key == "green_channel")
    assert table.rows and sum(int(row["green"] or 0) for row in table.rows) > 0
    assert all(int(row["ordinary"] or 0) > 0 for row in table.rows)
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "未发现断链" in out.getvalue()
