"""Problems: raised by the project side, answered by the unit, confirmed or returned, escalated."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.audit.models import Event
from onewindow.dispatch.domain import ProblemAction, ProblemLevel, ProblemStatus
from onewindow.dispatch.models import Problem
from onewindow.dispatch.selectors.problems import (
    ProblemFilters,
    board_counts,
    problem_get_for_user,
    problem_list,
    problems_visible_to,
)
from onewindow.dispatch.services.problems import (
    NewProblem,
    problem_answer,
    problem_confirm,
    problem_escalate,
    problem_raise,
    problem_return,
    problems_escalate_overdue,
)
from onewindow.dispatch.tests.factories import World, department, world
from onewindow.dispatch.tests.factories import problem as make_problem
from onewindow.errors import Conflict, InvalidFields, NotFound, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import staff
from onewindow.projects.models import Project

pytestmark = pytest.mark.django_db
D = dt.date
MONDAY = D(2026, 3, 16)


@pytest.fixture
def w() -> World:
    return world()


def raise_problem(w: World, who: str = "secretary", **kwargs: object) -> Problem:
    fields: dict[str, object] = {"category": "utilities", "title": "施工用电未接入", "unit": w.east_bureau}
    fields.update(kwargs)
    return problem_raise(actor=w.user(who), project=w.project, new=NewProblem(**fields), today=MONDAY)  # type: ignore[arg-type]


def test_the_secretary_raises_a_problem_with_a_default_deadline_in_working_days(w: World) -> None:
    problem = raise_problem(w)

    assert problem.status == ProblemStatus.OPEN and problem.level == ProblemLevel.DISTRICT
    assert problem.due_on == D(2026, 3, 23)  # five working days after Monday, the weekend not counted
    step = problem.steps.get()
    assert (step.action, step.unit, step.due_on) == (ProblemAction.RAISE, w.east_bureau, D(2026, 3, 23))
    assert Event.objects.get(stream=f"project:{w.project.pk}").action == "dispatch.problem_raise"


def test_a_raise_with_mistakes_reports_them_all(w: World) -> None:
    with pytest.raises(InvalidFields) as refused:
        raise_problem(w, category="weather", title="", unit=w.city_bureau, due_on=MONDAY)

    assert set(refused.value.errors) == {"category", "title", "unit", "due_on"}
    assert not Problem.objects.exists()


def test_a_city_level_project_may_start_at_the_city_department_a_district_one_may_not(w: World) -> None:
    at_city = raise_problem(w, level=ProblemLevel.CITY_DEPARTMENT, unit=w.city_bureau, due_on=D(2026, 4, 1))
    assert (at_city.level, at_city.due_on) == (ProblemLevel.CITY_DEPARTMENT, D(2026, 4, 1))

    Project.objects.filter(pk=w.project.pk).update(level="district")
    w.project.refresh_from_db()
    with pytest.raises(InvalidFields) as refused:
        raise_problem(w, level=ProblemLevel.CITY_DEPARTMENT, unit=w.city_bureau)
    assert "level" in refused.value.errors


@pytest.mark.parametrize("who", ["stranger", "other_office", "unit_staff"])
def test_only_the_project_side_raises(w: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        raise_problem(w, who)


def test_the_unit_answers_and_the_project_side_confirms(w: World) -> None:
    problem = raise_problem(w)
    with pytest.raises(PermissionDenied):
        problem_answer(actor=w.user("secretary"), problem=problem, answer="已协调")

    answered = problem_answer(
        actor=w.user("unit_staff"), problem=problem, answer="已协调供电公司", today=D(2026, 3, 20)
    )
    with pytest.raises(PermissionDenied):
        problem_confirm(actor=w.user("unit_staff"), problem=problem)
    closed = problem_confirm(actor=w.user("commissioner"), problem=problem, today=D(2026, 3, 25))

    assert (answered.status, answered.answered_on) == (ProblemStatus.ANSWERED, D(2026, 3, 20))
    assert (closed.status, closed.closed_on) == (ProblemStatus.CLOSED, D(2026, 3, 25))
    assert [s.action for s in problem.steps.all()] == ["raise", "answer", "confirm"]
    assert Event.objects.filter(stream=f"project:{w.project.pk}").count() == 3


def test_a_department_head_above_the_unit_answers_for_it(w: World) -> None:
    section = department(w.east_bureau, "东区住建局建管科")
    head = staff(Role.DEPARTMENT_HEAD, w.east_bureau)
    problem = raise_problem(w, unit=section)

    assert problem_answer(actor=head, problem=problem, answer="已办").status == ProblemStatus.ANSWERED


def test_a_returned_problem_is_open_again_with_the_reason_and_the_same_deadline(w: World) -> None:
    problem = raise_problem(w)
    problem_answer(actor=w.user("unit_staff"), problem=problem, answer="已协调")
    with pytest.raises(InvalidFields):
        problem_return(actor=w.user("secretary"), problem=problem, note=" ")

    returned = problem_return(actor=w.user("secretary"), problem=problem, note="仍未通电")

    assert returned.status == ProblemStatus.OPEN and returned.due_on == problem.due_on
    assert problem.steps.last().note == "仍未通电"


def test_a_step_out_of_order_is_a_conflict_and_changes_nothing(w: World) -> None:
    problem = raise_problem(w)
    with pytest.raises(Conflict):
        problem_confirm(actor=w.user("secretary"), problem=problem)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN and problem.steps.count() == 1


def test_the_job_escalates_overdue_problems_one_level_at_a_time(w: World) -> None:
    problem = raise_problem(w)
    assert problems_escalate_overdue(today=D(2026, 3, 23)) == 0  # the deadline day itself is not overdue

    assert problems_escalate_overdue(today=D(2026, 3, 24)) == 1
    problem.refresh_from_db()
    assert (problem.level, problem.assigned_unit, problem.due_on) == (
        ProblemLevel.CITY_DEPARTMENT,
        w.city_bureau,  # the project's responsible unit
        D(2026, 3, 31),
    )
    assert problems_escalate_overdue(today=D(2026, 3, 24)) == 0  # once per deadline

    assert problems_escalate_overdue(today=D(2026, 4, 1)) == 1
    problem.refresh_from_db()
    assert problem.level == ProblemLevel.CITY_LEADER
    assert problem.assigned_unit == w.city  # the holding leader's organisation
    assert problems_escalate_overdue(today=D(2026, 5, 1)) == 0  # no level above the city leader
    steps = list(problem.steps.values_list("action", "level", "actor"))
    assert steps[1:] == [("escalate", "city_department", None), ("escalate", "city_leader", None)]
    escalations = Event.objects.filter(stream=f"project:{w.project.pk}", action="dispatch.problem_escalate")
    assert escalations.count() == 2


def test_an_answered_problem_waits_for_the_project_side_and_does_not_escalate(w: World) -> None:
    problem = raise_problem(w)
    problem_answer(actor=w.user("unit_staff"), problem=problem, answer="已办")
    assert problems_escalate_overdue(today=D(2026, 4, 30)) == 0


def test_an_escalated_problem_is_visible_to_its_new_unit(w: World) -> None:
    problem = raise_problem(w)
    city_staff = staff(Role.REVIEWER, w.city_bureau)
    with pytest.raises(NotFound):
        problem_get_for_user(city_staff, problem.pk)

    problems_escalate_overdue(today=D(2026, 3, 24))

    assert problem_get_for_user(city_staff, problem.pk) == problem
    assert not problems_visible_to(w.user("unit_staff")).exists()  # the district bureau is done with it
    assert problem_answer(actor=city_staff, problem=problem, answer="市发改委已协调").status == "answered"


def test_the_city_office_escalates_by_hand_and_chooses_the_unit(w: World) -> None:
    problem = raise_problem(w)
    other = department(w.city, "市自然资源和规划局")
    with pytest.raises(PermissionDenied):
        problem_escalate(actor=w.user("district_office"), problem=problem, unit=other)
    with pytest.raises(InvalidFields):
        problem_escalate(actor=w.user("city_office"), problem=problem, unit=None)

    moved = problem_escalate(
        actor=w.user("city_office"), problem=problem, unit=other, due_on=D(2026, 3, 30), note="市级协调", today=MONDAY
    )

    assert (moved.level, moved.assigned_unit, moved.due_on) == (ProblemLevel.CITY_DEPARTMENT, other, D(2026, 3, 30))
    assert problem.steps.last().actor == w.user("city_office")


def test_the_board_counts_per_unit_in_two_queries(w: World, django_assert_num_queries) -> None:
    secretary = w.user("secretary")
    make_problem(w.project, w.east_bureau, secretary, raised_on=MONDAY, due_on=D(2026, 3, 20))  # overdue on the 23rd
    make_problem(w.project, w.east_bureau, secretary, raised_on=MONDAY, due_on=D(2026, 3, 30))
    make_problem(
        w.project, w.city_bureau, secretary, raised_on=MONDAY, due_on=D(2026, 3, 20), status=ProblemStatus.ANSWERED
    )
    rows = problem_list(w.user("city_office"), ProblemFilters(), today=D(2026, 3, 23))

    with django_assert_num_queries(2):
        counts = board_counts(rows, today=D(2026, 3, 23))

    assert [(c.unit, c.open_count, c.overdue_count) for c in counts] == [(w.east_bureau, 2, 1), (w.city_bureau, 1, 0)]
