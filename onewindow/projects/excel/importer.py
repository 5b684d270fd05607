"""Importing the registry workbook: parse (pure), resolve names against the database, then write
every row through the services in one transaction. Every error of every row is collected before
anything is written; with any error nothing is written. Rows are matched to projects by 项目编码:
a known code updates the project (only what changed, audited), an unknown one registers it; the
same workbook imported twice changes nothing the second time.

Names: 所属区县 by code or name among the regions the importing office manages; people by
"姓名(用户名)", user name, or a name only one active user has; 责任单位 by code or (full) name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from django.conf import settings
from django.db import transaction

from onewindow import xlsx
from onewindow.errors import DomainError, NotFound
from onewindow.orgs.models import Organisation, User
from onewindow.projects.domain import Phase, check_phase_change
from onewindow.projects.excel import layout
from onewindow.projects.excel.parsing import ProjectRow, RowError, by_position, parse_sheet
from onewindow.projects.models import Project
from onewindow.projects.selectors import (
    is_project_office_for,
    office_regions,
    organisation_find,
    user_find,
)
from onewindow.projects.services.registry import (
    ProjectData,
    project_change_phase,
    project_create,
    project_plans_set,
    project_update,
)
from onewindow.projects.services.team import project_responsible_unit_set, project_team_set

IMPORT_REASON = "Excel 导入"
T = TypeVar("T")


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Planned:
    row: ProjectRow
    district: Organisation
    project: Project | None
    team: dict[str, User | None]
    unit: Organisation | None


class _Refused(Exception):
    pass


class _Resolver:
    """Names to rows, each distinct name looked up once; every failure becomes a RowError."""

    def __init__(self, actor: User, columns: frozenset[str]) -> None:
        self.actor, self.columns = actor, columns
        self.errors: list[RowError] = []
        self.regions = office_regions(actor)
        self.cache: dict[tuple[str, str], Any] = {}

    def _lookup(self, row: ProjectRow, column: str, kind: str, text: str, find: Callable[[str], T]) -> T | None:
        """`find(text)`, once per kind and text; a failure becomes this row's error in `column`."""
        key = (kind, text)
        if key not in self.cache:
            try:
                self.cache[key] = find(text)
            except DomainError as exc:
                self.cache[key] = exc
        found = self.cache[key]
        if isinstance(found, DomainError):
            self.errors.append(RowError(row.row, column, found.message))
            return None
        return cast(T, found)

    def _region(self, text: str) -> Organisation:
        try:
            return organisation_find(text, self.regions)
        except NotFound:
            raise NotFound(f"所属区县“{text}”不存在或不在您的管理范围内", code="district_not_found") from None

    def district(self, row: ProjectRow) -> Organisation | None:
        return self._lookup(row, layout.DISTRICT, "district", row.district, self._region)

    def team(self, row: ProjectRow) -> dict[str, User | None]:
        team: dict[str, User | None] = {}
        for column, text in row.team.items():
            role = layout.TEAM_COLUMNS[column].value
            team[role] = self._lookup(row, column, "user", text, user_find) if text else None
        return team

    def unit(self, row: ProjectRow) -> Organisation | None:
        if not row.unit:
            return None
        all_units = Organisation.objects.all()
        return self._lookup(row, layout.UNIT, "unit", row.unit, lambda text: organisation_find(text, all_units))

    def existing(self, row: ProjectRow, project: Project | None) -> None:
        if project is None:
            return
        if not is_project_office_for(self.actor, project):
            self.errors.append(RowError(row.row, layout.CODE, f"项目“{row.code}”不在您的管理范围内，不能修改"))
        elif project.phase != row.phase:
            try:
                check_phase_change(Phase(project.phase), row.phase, IMPORT_REASON)
            except DomainError as exc:
                self.errors.append(RowError(row.row, layout.PHASE, exc.message))

    def plan(self, row: ProjectRow, project: Project | None) -> _Planned | None:
        before = len(self.errors)
        district = self.district(row)
        team, unit = self.team(row), self.unit(row)
        self.existing(row, project)
        if len(self.errors) > before or district is None:
            return None
        return _Planned(row, district, project, team, unit)


def _data(plan: _Planned, columns: frozenset[str]) -> ProjectData:
    row, project = plan.row, plan.project

    def kept(column: str, value: Any, attribute: str) -> Any:
        return value if column in columns or project is None else getattr(project, attribute)

    return ProjectData(
        code=row.code,
        name=row.name,
        owner_name=row.owner_name,
        owner_credit_code=row.owner_credit_code,
        district=plan.district,
        industry=row.industry,
        total_investment=row.total_investment,
        level=row.level,
        chain_tags=kept(layout.CHAIN, list(row.chain_tags), "chain_tags"),
        planned_start=kept(layout.START, row.planned_start, "planned_start"),
        planned_finish=kept(layout.FINISH, row.planned_finish, "planned_finish"),
        location=kept(layout.LOCATION, row.location, "location"),
        description=project.description if project is not None else "",
    )


def _write_row(actor: User, plan: _Planned, columns: frozenset[str], report: ImportReport) -> None:
    row = plan.row
    if plan.project is None:
        project = project_create(actor=actor, data=_data(plan, columns), phase=row.phase)
        changed = True
    else:
        project = plan.project
        changed = project_update(actor=actor, project=project, data=_data(plan, columns))
        if project.phase != row.phase:
            project_change_phase(actor=actor, project=project, to_phase=row.phase, reason=IMPORT_REASON)
            changed = True
    changed |= project_plans_set(actor=actor, project=project, plans=dict(row.plans))
    changed |= project_team_set(actor=actor, project=project, members=plan.team)
    if layout.UNIT in columns:
        changed |= project_responsible_unit_set(actor=actor, project=project, unit=plan.unit)
    if plan.project is None:
        report.created += 1
    elif changed:
        report.updated += 1
    else:
        report.unchanged += 1


def _resolve(actor: User, rows: list[ProjectRow], columns: frozenset[str]) -> tuple[list[_Planned], list[RowError]]:
    resolver = _Resolver(actor, columns)
    existing = {p.code: p for p in Project.objects.filter(code__in=[r.code for r in rows]).select_related("district")}
    planned = [plan for row in rows if (plan := resolver.plan(row, existing.get(row.code))) is not None]
    return planned, resolver.errors


def read_registry_file(file: xlsx.Source) -> list[xlsx.Row]:
    """The rows of an uploaded registry workbook's first sheet, within the configured limits.

    DomainError (workbook_unreadable, workbook_too_large, workbook_too_many_rows) for the whole file.
    """
    return xlsx.read_first_sheet(
        file, max_bytes=settings.EXCEL_IMPORT_MAX_BYTES, max_rows=settings.PROJECTS_IMPORT_MAX_ROWS
    )


def projects_import(*, actor: User, rows: Sequence[xlsx.Row], dry_run: bool = False) -> ImportReport:
    """Import the rows of the registry sheet (`read_registry_file`). With any bad row nothing changes
    and every error is reported, by row.

    `dry_run`: check and count everything, then roll back.
    """
    parsed = parse_sheet(rows)
    planned, errors = _resolve(actor, parsed.rows, parsed.columns)
    report = ImportReport(errors=by_position([*parsed.errors, *errors]))
    if report.errors:
        return report
    try:
        with transaction.atomic():
            _write_rows(actor, planned, parsed.columns, report)
            if dry_run:
                raise _Refused
    except _Refused:
        return ImportReport(errors=by_position(report.errors)) if report.errors else report
    return report


def _write_rows(actor: User, planned: list[_Planned], columns: frozenset[str], report: ImportReport) -> None:
    for plan in planned:
        try:
            _write_row(actor, plan, columns, report)
        except DomainError as exc:
            report.errors.extend(_row_errors(plan.row, exc))
    if report.errors:
        raise _Refused


def _row_errors(row: ProjectRow, exc: DomainError) -> list[RowError]:
    errors: dict[str, str] = getattr(exc, "errors", {}) or {}
    if not errors:
        return [RowError(row.row, "", exc.message)]
    return [RowError(row.row, FIELD_COLUMNS.get(name, name), message) for name, message in errors.items()]


FIELD_COLUMNS = {
    "code": layout.CODE,
    "name": layout.NAME,
    "owner_name": layout.OWNER,
    "owner_credit_code": layout.CREDIT_CODE,
    "district": layout.DISTRICT,
    "industry": layout.INDUSTRY,
    "total_investment": layout.TOTAL,
    "level": layout.LEVEL,
    "planned_start": layout.START,
    "planned_finish": layout.FINISH,
    "location": layout.LOCATION,
}
