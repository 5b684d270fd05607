"""Loading the demo city through the platform's own services. Idempotent: a second run changes nothing.

Each part (organisations, halls, staff, applicants, catalogue) runs in its own transaction.
Roles are granted by the demo security admin (三权分立); their own role is the one bootstrap.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from onewindow import xlsx
from onewindow.catalogue.excel import ImportReport, catalogue_import
from onewindow.catalogue.models import Synonym
from onewindow.catalogue.services.synonyms import synonym_group_create
from onewindow.demo import data
from onewindow.demo.agency import agency_load
from onewindow.demo.cases import cases_load, reuse_case_load
from onewindow.demo.certificates import certificate_types_load, certificates_seal_pending
from onewindow.demo.data.schema import StaffSpec
from onewindow.demo.evaluation import evaluation_load
from onewindow.demo.fee_story import fee_story_load
from onewindow.demo.fees import fees_demo_load
from onewindow.demo.halls import halls_demo_load
from onewindow.demo.identifiers import credit_code, resident_id
from onewindow.demo.key_projects import key_projects_load
from onewindow.demo.queue_history import queue_history_load
from onewindow.demo.tickets import tickets_demo_load
from onewindow.demo.township_cases import township_cases_load
from onewindow.demo.workbook import catalogue_workbook
from onewindow.orgs.domain import ROLE_LABELS, Role
from onewindow.orgs.models import Applicant, Hall, Membership, Organisation, User, Window
from onewindow.orgs.services import (
    applicant_register,
    membership_grant,
    organisation_create,
    security_admin_bootstrap,
)

COUNTED: dict[str, type[models.Model]] = {
    "组织机构": Organisation,
    "政务服务大厅": Hall,
    "窗口": Window,
    "用户": User,
    "任职与角色": Membership,
    "申请人": Applicant,
}


class Writer(Protocol):
    def write(self, text: str, /) -> object: ...


@dataclass
class DemoSummary:
    """What one run created (rows per kind) and what the catalogue import reported."""

    created: dict[str, int] = field(default_factory=dict)
    catalogue_created: int = 0
    catalogue_updated: int = 0
    catalogue_unchanged: int = 0
    catalogue_errors: list[str] = field(default_factory=list)
    synonyms_created: int = 0
    cases_created: int = 0
    certificate_types_created: int = 0
    key_projects: dict[str, int] = field(default_factory=dict)

    @property
    def changed_anything(self) -> bool:
        return any(self.created.values()) or bool(
            self.catalogue_created
            or self.catalogue_updated
            or self.synonyms_created
            or self.cases_created
            or self.certificate_types_created
        )


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or data.DEFAULT_DEMO_PASSWORD


def demo_load(*, stdout: Writer) -> DemoSummary:
    """Load 云川市 (organisations, halls, staff, applicants, catalogue) and print the demo accounts."""
    password = demo_password()
    # One hash for all: the accounts share one published password, and hashing is slow on purpose.
    password_hash = make_password(password)
    before = _row_counts()
    organisations_load()
    halls_load()
    staff_load(password_hash=password_hash)
    applicants_load(password_hash=password_hash)
    after = _row_counts()
    summary = DemoSummary(created={name: after[name] - before[name] for name in COUNTED})
    catalogue_load(summary=summary)
    summary.certificate_types_created = certificate_types_load()
    summary.cases_created = cases_load()
    certificates_seal_pending()
    summary.cases_created += reuse_case_load()
    summary.cases_created += township_cases_load()
    summary.key_projects = key_projects_load(today=timezone.localdate())
    summary.key_projects["代办委托"] = agency_load(today=timezone.localdate())
    summary.key_projects["好差评"] = evaluation_load(today=timezone.localdate())
    summary.key_projects["预约"] = halls_demo_load(today=timezone.localdate())
    summary.key_projects["排队历史"] = queue_history_load(today=timezone.localdate())
    summary.key_projects["取号"] = tickets_demo_load()
    summary.key_projects["收费项目与政策"] = fees_demo_load()
    summary.key_projects["一单收费"] = fee_story_load(today=timezone.localdate())
    summary_print(stdout=stdout, summary=summary, password=password)
    return summary


def _row_counts() -> dict[str, int]:
    return {name: model._default_manager.count() for name, model in COUNTED.items()}


@transaction.atomic
def organisations_load() -> None:
    """The city, its districts and counties, their townships and streets, then the departments."""
    city = _organisation(code=data.CITY_CODE, name=data.CITY_NAME, level=Organisation.Level.CITY)
    for district in data.DISTRICTS:
        region = _organisation(code=district.code, name=district.name, level=district.level, parent=city)
        for place in district.places:
            _organisation(code=place.code, name=place.name, level=place.level, parent=region)
    for street, community in data.COMMUNITIES:
        parent = Organisation.objects.get(code=street)
        _organisation(code=community.code, name=community.name, level=community.level, parent=parent)
    for department in data.DEPARTMENTS:
        _organisation(
            code=department.code,
            name=department.name,
            short_name=department.short_name,
            level=Organisation.Level.DEPARTMENT,
            parent=Organisation.objects.get(code=department.region),
        )


def _organisation(
    *, code: str, name: str, level: str, parent: Organisation | None = None, short_name: str = ""
) -> Organisation:
    existing = Organisation.objects.filter(code=code).first()
    if existing is not None:
        return existing
    return organisation_create(code=code, name=name, level=level, parent=parent, short_name=short_name)


@transaction.atomic
def halls_load() -> None:
    """A service hall per city, district and county, a 便民服务中心 per township and street of the
    districts taken down to the street (and a 便民服务站 in one community of each), with numbered windows."""
    departments = {o.code: o for o in Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT)}
    for spec in (*data.HALLS, *data.LOCAL_HALLS):
        hall, _ = Hall.objects.get_or_create(
            region=Organisation.objects.get(code=spec.region),
            name=spec.name,
            defaults={"address": spec.address, "opening_hours": spec.opening_hours},
        )
        for window in spec.windows:
            Window.objects.get_or_create(
                hall=hall,
                number=window.number,
                defaults={"name": window.name, "department": departments.get(window.department or "")},
            )


@transaction.atomic
def staff_load(*, password_hash: str) -> None:
    """Staff accounts; the security admin's own role is bootstrapped, every other role granted by them."""
    security_spec = next(s for s in data.STAFF if s.role == Role.SECURITY_ADMIN)
    security_admin = _staff_user(security_spec, password_hash=password_hash)
    if not Membership.objects.filter(user=security_admin, role=Role.SECURITY_ADMIN).exists():
        security_admin_bootstrap(
            user=security_admin, organisation=Organisation.objects.get(code=security_spec.organisation)
        )
    actor = User.objects.get(pk=security_admin.pk)  # fresh: no cached roles from before the bootstrap
    for spec in (*data.STAFF, *data.LOCAL_STAFF, *data.KEY_PROJECT_STAFF):
        if spec is security_spec:
            continue
        membership_grant(
            actor=actor,
            user=_staff_user(spec, password_hash=password_hash),
            organisation=Organisation.objects.get(code=spec.organisation),
            role=Role(spec.role),
        )


def _staff_user(spec: StaffSpec, *, password_hash: str) -> User:
    defaults = {"name": spec.name, "phone": spec.phone}
    return _user(username=spec.username, password_hash=password_hash, defaults=defaults)


def _user(*, username: str, password_hash: str, defaults: dict[str, Any]) -> User:
    """Find or create the account; `password_hash` is set only when the account is new."""
    return User.objects.get_or_create(username=username, defaults={**defaults, "password": password_hash})[0]


@transaction.atomic
def applicants_load(*, password_hash: str) -> None:
    """Citizens with online accounts, and the enterprises they represent."""
    users: dict[str, User] = {}
    for person in data.PERSONS:
        user = _user(
            username=person.username, password_hash=password_hash, defaults={"name": person.name, "phone": person.phone}
        )
        users[person.username] = user
        applicant_register(
            kind=Applicant.Kind.PERSON,
            name=person.name,
            id_number=resident_id(person.id_stem),
            phone=person.phone,
            user=user,
        )
    for enterprise in data.ENTERPRISES:
        representative = users[enterprise.legal_representative]
        applicant_register(
            kind=Applicant.Kind.ENTERPRISE,
            name=enterprise.name,
            id_number=credit_code(enterprise.code_stem),
            phone=enterprise.phone,
            user=representative,
            legal_representative=representative.name,
        )


def catalogue_load(*, summary: DemoSummary) -> None:
    """Import and publish the catalogue workbook as the system admin (who keeps the catalogue)."""
    actor = User.objects.get(username=next(s.username for s in data.STAFF if s.role == Role.SYSTEM_ADMIN))
    with transaction.atomic():
        report = demo_catalogue_import(actor=actor)
    summary.catalogue_created = int(report.created)
    summary.catalogue_updated = int(report.updated)
    summary.catalogue_unchanged = int(report.unchanged)
    summary.catalogue_errors = [_row_error_text(error) for error in report.errors]
    summary.synonyms_created = synonyms_load(actor=actor)


def demo_catalogue_import(*, actor: User) -> ImportReport:
    """The demo workbook, parsed and imported (tests that skip the catalogue stand in for this whole
    step: parsing the workbook alone takes seconds)."""
    return catalogue_import(actor=actor, sheets=xlsx.sheets_of(catalogue_workbook()), publish=True)


@transaction.atomic
def synonyms_load(*, actor: User) -> int:
    """The starting synonym table, saved by the system admin (audited); a group whose words are
    already in the table (the demo's, or the admin's since) is left alone."""
    taken = set(Synonym.objects.values_list("word", flat=True))
    created = 0
    for words in data.SYNONYM_GROUPS:
        if not taken.intersection(words):
            synonym_group_create(actor=actor, words=words)
            created += 1
    return created


def _row_error_text(error: object) -> str:
    sheet, row, message = (getattr(error, name, None) for name in ("sheet", "row", "message"))
    return f"“{sheet}”第 {row} 行：{message}" if message else str(error)


def summary_print(*, stdout: Writer, summary: DemoSummary, password: str) -> None:
    stdout.write(f"演示城市：{data.CITY_NAME}\n")
    created = "、".join(f"{name} {count} 条" for name, count in summary.created.items() if count)
    stdout.write(f"新建：{created}\n" if created else "组织、人员和申请人均已存在，未作改动。\n")
    _print_catalogue(stdout, summary)
    if summary.certificate_types_created:
        stdout.write(f"证照类型：新建 {summary.certificate_types_created} 类\n")
    if summary.cases_created:
        stdout.write(
            f"演示办件：新建 {summary.cases_created} 件（已办结、审查中、待受理、待补正、免提交的申请，"
            "及乡镇（街道）窗口受理、区县部门审批的申请）\n"
        )
    stdout.write("重点项目：" + "、".join(f"{name} {count}" for name, count in summary.key_projects.items()) + "\n")
    stdout.write(f"\n演示账号（密码均为 {password}）：\n")
    for username, role, organisation in demo_accounts():
        stdout.write(f"  {username:<18} {role:<10} {organisation}\n")
    stdout.write(
        "  各区县重点办：office_<区县编码>（如 office_990124 松溪县），项目秘书 secretary_<区县编码>_1/_2，"
        "区县领导 leader_<区县编码>；市领导 leader_fu_a/b/c；首席服务人 chief_1…6。\n"
    )


def _print_catalogue(stdout: Writer, summary: DemoSummary) -> None:
    stdout.write(
        f"事项目录（事项与一件事）：新建 {summary.catalogue_created} 项，更新 {summary.catalogue_updated} 项，"
        f"未变 {summary.catalogue_unchanged} 项\n"
    )
    for error in summary.catalogue_errors:
        stdout.write(f"  导入错误：{error}\n")
    if summary.synonyms_created:
        stdout.write(f"检索同义词：新建 {summary.synonyms_created} 组\n")


def _place_name(organisation: Organisation) -> str:
    """清河区清河街道 for a street or township, 清河区清河街道社会事务办公室 for its office, else the display name."""
    local = (Organisation.Level.TOWNSHIP, Organisation.Level.STREET, Organisation.Level.COMMUNITY)
    parent = organisation.parent
    if parent is not None and organisation.level in local:
        return f"{parent.name}{organisation.name}"
    if parent is not None and parent.level in local:
        return f"{_place_name(parent)}{organisation.name}"
    return organisation.display_name


def demo_accounts() -> list[tuple[str, str, str]]:
    """(username, role label, organisation) of every demo staff member and applicant account."""
    organisations = {o.code: o for o in Organisation.objects.select_related("parent")}
    rows = [
        (s.username, ROLE_LABELS[Role(s.role)], _place_name(organisations[s.organisation]))
        for s in (*data.STAFF, *data.LOCAL_STAFF)
    ]
    enterprises = {e.legal_representative: e.name for e in data.ENTERPRISES}
    rows += [
        (p.username, "申请人", "、".join(filter(None, (p.name, enterprises.get(p.username))))) for p in data.PERSONS
    ]
    return rows
