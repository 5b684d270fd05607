"""Any filtered list of projects as a workbook in the import layout (export → import changes nothing).

A title row, the header, one row per project. Amounts are numbers (万元), dates are date cells,
people are written "姓名(用户名)" so that the import finds them again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet

from onewindow import xlsx
from onewindow.projects.domain import Level, Phase
from onewindow.projects.excel import layout
from onewindow.projects.models import AnnualPlan, Project, TeamMember
from onewindow.projects.selectors import user_label

AMOUNT_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
CHUNK = 500
PHASE_WRITTEN: dict[Phase, str] = {phase: label for label, phase in layout.PHASES.items()}


def _row(number: int, project: Project, years: list[int]) -> list[Any]:
    plans = {plan.year: plan.planned_investment for plan in project.annual_plans.all()}
    team = {member.role: user_label(member.user) for member in project.team.all()}
    unit = project.responsible_unit.display_name if project.responsible_unit else ""
    return [
        number,
        project.name,
        project.code,
        project.owner_name,
        project.owner_credit_code,
        project.district.name,
        project.industry,
        layout.TAG_SEPARATOR.join(project.chain_tags or []),
        project.total_investment,
        *(plans.get(year) for year in years),
        PHASE_WRITTEN[Phase(project.phase)],
        layout.LEVEL_WRITTEN[Level(project.level)],
        project.planned_start,
        project.planned_finish,
        project.location,
        *(team.get(role.value, "") for role in layout.TEAM_COLUMNS.values()),
        unit,
    ]


def _years(projects: QuerySet[Project], this_year: int) -> list[int]:
    years = set(AnnualPlan.objects.filter(project__in=projects.values("pk")).values_list("year", flat=True))
    return sorted(years | {this_year})


def _number_formats(header: list[str]) -> dict[int, str]:
    """Column index (1-based) → number format: amounts in 万元 and the two dates."""
    formats = {i: AMOUNT_FORMAT for i, name in enumerate(header, start=1) if "万元" in name}
    return formats | {i: DATE_FORMAT for i, name in enumerate(header, start=1) if name in (layout.START, layout.FINISH)}


def _widths(sheet: Any, header: list[str]) -> None:
    for index, name in enumerate(header, start=1):
        letter = sheet.cell(row=2, column=index).column_letter
        sheet.column_dimensions[letter].width = 28 if name in (layout.NAME, layout.OWNER, layout.LOCATION) else 14


def projects_export(projects: QuerySet[Project], *, today: dt.date) -> xlsx.Workbook:
    """The projects (already scoped and filtered by the caller), in the import layout."""
    years = _years(projects, today.year)
    header = layout.header(years)
    workbook = xlsx.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = layout.TITLE
    xlsx.append_row(sheet, [f"{layout.TITLE}（导出日期：{today.isoformat()}）"])
    xlsx.append_row(sheet, header, bold=True)
    rows: Iterable[Project] = (
        projects.select_related("district", "responsible_unit__parent")
        .prefetch_related("annual_plans", Prefetch("team", queryset=TeamMember.objects.select_related("user")))
        .iterator(chunk_size=CHUNK)
    )
    formats = _number_formats(header)
    for number, project in enumerate(rows, start=1):
        xlsx.append_row(sheet, _row(number, project, years), number_formats=formats)
    _widths(sheet, header)
    sheet.freeze_panes = "C3"
    return workbook
