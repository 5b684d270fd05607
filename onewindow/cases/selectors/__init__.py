"""Scoped reads of cases: every page and endpoint reads through here, never from the models.

| module        | reads                                                                            |
|---------------|----------------------------------------------------------------------------------|
| `access`      | who may open which case or task (the scoping rule), one case or task for a purpose |
| `case`        | one case's matters, tasks, intake notice, timeline, open requests                 |
| `lists`       | my cases, staff's cases, the intake queue, 待办 and 已办                          |
| `board`       | the supervision board, its filters, departments' on-time rates                   |
| `levels`      | the board rolled up by level: open cases per receiving region and its subtree     |
| `commitment`  | 会签 / 加签, what follows 告知承诺, credit records                               |
| `deferral`    | what a case still owes after 容缺受理                                             |

What a page shows beside the rows (remaining days, warning level, timeline labels) is in
`onewindow.cases.presentation`. The names below are the package's public reads; other apps import
them from here.
"""

from __future__ import annotations

from onewindow.cases.selectors import commitment, deferral
from onewindow.cases.selectors.access import (
    CASE_LIST_RELATED,
    CASE_RELATED,
    OPEN_TASKS,
    REVIEW_ROLES,
    STAFF_ROLES,
    SUPERVISION_ROLES,
    TASK_RELATED,
    applicants_for_user,
    case_get_for_applicant_user,
    case_get_for_decision,
    case_get_for_user,
    case_not_found,
    department_reviewers,
    is_staff,
    lead_department,
    task_get_for_reviewer,
    task_not_found,
    visible_cases,
    with_open_stops,
)
from onewindow.cases.selectors.board import (
    BoardFilters,
    DepartmentRate,
    SupervisionBoard,
    board_choices,
    board_filters,
    department_on_time_rate,
    materials_reused_count,
    supervision_board,
    supervision_scope,
)
from onewindow.cases.selectors.case import (
    IntakeNotice,
    case_detail_parts,
    case_matters,
    case_open_correction_notice,
    case_open_supplement_requests,
    case_timeline,
    intake_notice,
)
from onewindow.cases.selectors.levels import LevelCount, LevelRollup, RegionCounts, supervision_by_region
from onewindow.cases.selectors.lists import (
    INTAKE_STATUSES,
    cases_for_applicant_user,
    cases_for_staff,
    cases_received,
    intake_queue,
    tasks_done,
    tasks_todo,
)

__all__ = [
    "CASE_LIST_RELATED",
    "CASE_RELATED",
    "INTAKE_STATUSES",
    "OPEN_TASKS",
    "REVIEW_ROLES",
    "STAFF_ROLES",
    "SUPERVISION_ROLES",
    "TASK_RELATED",
    "BoardFilters",
    "DepartmentRate",
    "IntakeNotice",
    "LevelCount",
    "LevelRollup",
    "RegionCounts",
    "SupervisionBoard",
    "applicants_for_user",
    "board_choices",
    "board_filters",
    "case_detail_parts",
    "case_get_for_applicant_user",
    "case_get_for_decision",
    "case_get_for_user",
    "case_matters",
    "case_not_found",
    "case_open_correction_notice",
    "case_open_supplement_requests",
    "case_timeline",
    "cases_for_applicant_user",
    "cases_for_staff",
    "cases_received",
    "commitment",
    "deferral",
    "department_on_time_rate",
    "department_reviewers",
    "intake_notice",
    "intake_queue",
    "is_staff",
    "lead_department",
    "materials_reused_count",
    "supervision_board",
    "supervision_by_region",
    "supervision_scope",
    "task_get_for_reviewer",
    "task_not_found",
    "tasks_done",
    "tasks_todo",
    "visible_cases",
    "with_open_stops",
]
