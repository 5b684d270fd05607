"""The green channel: a case's flag is copied onto its tasks, so the work lists sort by it."""

from __future__ import annotations

import pytest

from onewindow.cases import selectors
from onewindow.cases.models import Task, TimelineEntry
from onewindow.cases.services.green_channel import case_mark_green_channel
from onewindow.cases.services.intake import case_approve_on_commitment
from onewindow.cases.tests import factories as f

pytestmark = pytest.mark.django_db


def test_tasks_opened_for_a_green_channel_case_carry_its_flag() -> None:
    green = f.accepted_case(bundle=True, is_green_channel=True)
    plain = f.accepted_case(bundle=True)
    assert set(green.tasks.values_list("is_green_channel", flat=True)) == {True}
    assert set(plain.tasks.values_list("is_green_channel", flat=True)) == {False}


def test_post_checks_of_a_green_channel_case_carry_its_flag() -> None:
    version = f.published_matter(commitment_allowed=True)
    letter = {"commitment_letter": f.pdf_file("告知承诺书.pdf")}
    case = f.submitted_case(matter_version=version, files=letter, is_green_channel=True)
    case = case_approve_on_commitment(actor=f.clerk_for(case.region), case=case, commitment_text="本人承诺符合条件")
    assert case.tasks.get().is_green_channel


def test_marking_a_case_green_channel_marks_its_tasks_and_moves_them_up_the_todo_list() -> None:
    department = f.department()
    reviewer = f.reviewer_for(department)
    first = f.accepted_case(matter_version=f.published_matter(department=department))
    second = f.accepted_case(matter_version=f.published_matter(department=department))
    assert [task.case for task in selectors.tasks_todo(user=reviewer)] == [first, second]

    case_mark_green_channel(case_id=second.pk, actor=f.clerk_for(second.region), agent=None)

    assert set(second.tasks.values_list("is_green_channel", flat=True)) == {True}
    assert not first.tasks.get().is_green_channel
    assert [task.case for task in selectors.tasks_todo(user=reviewer)] == [second, first]
    assert TimelineEntry.objects.filter(case=second, action="case_green_channel").count() == 1


def test_marking_again_changes_nothing() -> None:
    case = f.accepted_case(is_green_channel=True)
    before = list(Task.objects.filter(case=case).values_list("pk", "is_green_channel"))
    case_mark_green_channel(case_id=case.pk, actor=f.clerk_for(case.region), agent=None)
    assert list(Task.objects.filter(case=case).values_list("pk", "is_green_channel")) == before
    assert not TimelineEntry.objects.filter(case=case, action="case_green_channel").exists()
