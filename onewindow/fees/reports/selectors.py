"""Reads of the fee reports, scoped. Rows are fetched once and counted in Python (`reports.domain`), so SQLite
and PostgreSQL give the same numbers; days are local days (Asia/Shanghai).

Who sees what:
- the reconciliation: a collecting department's staff (any role in a department) see their own department's
  accounts; the finance bureau's staff (the department coded `settings.FEES_FINANCE_DEPARTMENT_CODE`) every
  department of the finance bureau's region (its parent's subtree); leaders, supervisors and the system admin
  every department within their organisations' subtree. Anyone else: 403. A department out of scope: 404.
- the savings list (enterprise names): the finance bureau (its region), leaders and the system admin (their
  subtree), by the bill's region. The public savings totals: everyone, no names.
A cancelled bill is in no report (no cancellation date is kept), nor a bill still being checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.errors import InvalidFields, NotFound, PermissionDenied
from onewindow.fees.models import BillLine, BillStatus, Refund
from onewindow.fees.reports import domain
from onewindow.fees.reports.domain import Account, LineFact, RefundFact, SavingFact
from onewindow.orgs.domain import Role, path_and_ancestors
from onewindow.orgs.models import Applicant, Organisation, User
from onewindow.orgs.selectors import membership_paths
from onewindow.web.periods import Period as Period  # the period of these figures, for the modules above
from onewindow.web.periods import day_period

RECONCILIATION_WIDE_ROLES = frozenset({Role.LEADER, Role.SUPERVISOR, Role.SYSTEM_ADMIN})
SAVINGS_LIST_ROLES = frozenset({Role.LEADER, Role.SYSTEM_ADMIN})
COUNTED_STATUSES = (BillStatus.ISSUED, BillStatus.PAID, BillStatus.REFUNDED)
DEFAULT_DAYS = 30
MAX_DAYS = 366
DEFAULT_MONTHS = 12
MAX_MONTHS = 60


# --- periods ----------------------------------------------------------------------------------------------


def day_period_of(first_text: str, last_text: str, today: dt.date) -> Period:
    """`from`/`to` (YYYY-MM-DD, either may be empty): by default the last 30 days up to today."""
    return day_period(
        first_text, last_text, today, default_days=DEFAULT_DAYS, max_days=MAX_DAYS, code="fees_report_period_invalid"
    )


def month_period_of(first_text: str, last_text: str, today: dt.date) -> Period:
    """`from`/`to` months (YYYY-MM): by default the last 12 months, this one included. The period runs from
    the first day of `from` to the last day of `to`."""
    errors: dict[str, str] = {}
    message = _("月份格式应为 YYYY-MM。")
    last = _parse(last_text, "to", errors, domain.month_start, message) or today.replace(day=1)
    first = _parse(first_text, "from", errors, domain.month_start, message)
    first = first or domain.months_back(last, DEFAULT_MONTHS - 1)
    if not errors and first > last:
        errors["from"] = _("开始月份不能晚于结束月份。")
    if not errors and domain.months_between(first, last) > MAX_MONTHS:
        errors["from"] = _("统计期不能超过 %(months)s 个月。") % {"months": MAX_MONTHS}
    if errors:
        raise InvalidFields(_("统计期有误。"), errors=errors, code="fees_report_period_invalid")
    return Period(first, domain.month_end(last))


def _parse(text: str, name: str, errors: dict[str, str], parse: object, message: str) -> dt.date | None:
    if not text:
        return None
    try:
        return parse(text)  # type: ignore[operator,no-any-return]
    except ValueError:
        errors[name] = message
        return None


# --- scope ------------------------------------------------------------------------------------------------


def _finance_region_paths(user: User) -> set[str]:
    """The regions whose finance bureau the user belongs to (any role in it)."""
    code = settings.FEES_FINANCE_DEPARTMENT_CODE
    return {domain.parent_path(path) for path in membership_paths(user) if domain.last_code(path) == code}


def reconciliation_scope(user: User) -> set[str]:
    """The organisation paths whose departments' accounts the user reconciles; 403 when there are none."""
    paths = membership_paths(user, RECONCILIATION_WIDE_ROLES) | _finance_region_paths(user)
    own = membership_paths(user) - paths
    if own:
        departments = Organisation.objects.filter(path__in=own, kind=Organisation.Kind.DEPARTMENT)
        paths |= set(departments.values_list("path", flat=True))
    if not paths:
        raise PermissionDenied(
            _("只有执收部门、财政部门、领导和效能监察人员可以查看收费对账。"), code="fees_report_forbidden"
        )
    return paths


def savings_list_scope(user: User) -> set[str]:
    """The region paths whose bills' savings the user may list with enterprise names; 403 when none."""
    paths = membership_paths(user, SAVINGS_LIST_ROLES) | _finance_region_paths(user)
    if not paths:
        raise PermissionDenied(_("只有财政部门、领导和系统管理员可以查看减免明细。"), code="fees_report_forbidden")
    return paths


def _within(field: str, paths: set[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def collecting_departments(paths: set[str]) -> QuerySet[Organisation]:
    """The departments in scope that collect a fee (have a fee item)."""
    in_scope = Organisation.objects.filter(_within("path", paths), kind=Organisation.Kind.DEPARTMENT)
    return in_scope.filter(fee_items__isnull=False).distinct().order_by("path")


def department_in_scope(paths: set[str], department_id: int | None) -> Organisation | None:
    if department_id is None:
        return None
    department = Organisation.objects.filter(_within("path", paths), pk=department_id, kind="department").first()
    if department is None:
        raise NotFound(_("未找到该执收部门。"), code="fees_department_not_found")
    return department


# --- reconciliation rows ----------------------------------------------------------------------------------


def _local_day(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date()


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def reconciliation_lines(paths: set[str], department: Organisation | None, period: Period) -> list[LineFact]:
    """Lines owing money of bills issued by the period's end and not paid before it began."""
    after = _day_start(period.last + dt.timedelta(days=1))
    rows = (
        BillLine.objects.filter(_within("fee_check__department__path", paths), due_amount__gt=0)
        .filter(bill__issued_at__lt=after)
        .filter(Q(bill__paid_at__isnull=True) | Q(bill__paid_at__gte=_day_start(period.first)))
        .exclude(bill__status__in=(BillStatus.CANCELLED, BillStatus.CHECKING))
    )
    if department is not None:
        rows = rows.filter(fee_check__department=department)
    values = rows.values_list(
        "fee_check__department_id", "account_number", "bill_id", "due_amount", "bill__issued_at", "bill__paid_at"
    )
    return [
        LineFact(Account(dep, number), bill, due, _local_day(issued), _local_day(paid) if paid else None)
        for dep, number, bill, due, issued, paid in values
        if issued is not None
    ]


def reconciliation_refunds(paths: set[str], department: Organisation | None, period: Period) -> list[RefundFact]:
    rows = Refund.objects.filter(
        _within("line__fee_check__department__path", paths),
        refunded_at__gte=_day_start(period.first),
        refunded_at__lt=_day_start(period.last + dt.timedelta(days=1)),
    ).exclude(bill__status=BillStatus.CANCELLED)
    if department is not None:
        rows = rows.filter(line__fee_check__department=department)
    values = rows.values_list(
        "line__fee_check__department_id", "line__account_number", "bill_id", "amount", "refunded_at"
    )
    return [RefundFact(Account(dep, number), bill, amount, _local_day(at)) for dep, number, bill, amount, at in values]


def account_names(accounts: set[Account]) -> tuple[dict[int, str], dict[Account, str]]:
    """The departments' names and the accounts' names (the latest line's)."""
    departments = dict(Organisation.objects.filter(pk__in={a.department for a in accounts}).values_list("pk", "name"))
    names: dict[Account, str] = {}
    rows = BillLine.objects.filter(
        fee_check__department_id__in=departments, account_number__in={a.number for a in accounts}
    ).values_list("fee_check__department_id", "account_number", "account_name")
    for dep, number, name in rows.order_by("pk"):
        names[Account(dep, number)] = name
    return departments, names


# --- savings rows -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SavingRows:
    facts: list[SavingFact]
    policy_titles: dict[tuple[str, str], str]
    payers: dict[int, Applicant]


def saving_rows(period: Period, paths: set[str] | None = None) -> SavingRows:
    """The lines with a policy of the bills computed in the period (issued, paid or refunded); `paths`: only
    the bills whose region lies within them (None: every bill, for the public totals)."""
    rows = BillLine.objects.filter(
        policy__isnull=False,
        bill__status__in=COUNTED_STATUSES,
        bill__computed_on__range=(period.first, period.last),
    )
    if paths is not None:
        rows = rows.filter(_within("bill__region__path", paths))
    values = list(
        rows.values_list(
            "policy_document_number",
            "policy_kind",
            "policy__title",
            "bill__payer_id",
            "bill__industry",
            "bill__region__path",
            "bill__computed_on",
            "bill_id",
            "computed_amount",
            "due_amount",
            "subsidised_amount",
        ).order_by("policy__valid_from", "pk")
    )
    districts = _district_names({row[5] for row in values})
    facts, titles = [], {}
    for number, kind, title, payer, industry, region, on, bill, computed, due, subsidised in values:
        titles[(number, kind)] = title
        district = districts.get(region, "")
        facts.append(
            SavingFact((number, kind), payer, industry, district, domain.month_of(on), bill, computed, due, subsidised)
        )
    payers = {a.pk: a for a in Applicant.objects.filter(pk__in={f.payer for f in facts})} if paths is not None else {}
    return SavingRows(facts, titles, payers)


def _district_names(region_paths: set[str]) -> dict[str, str]:
    """Each region path → the name of its district or county (the region's own name when it lies in none)."""
    wanted = {ancestor for path in region_paths for ancestor in path_and_ancestors(path)}
    orgs = {
        path: (level, name)
        for path, level, name in Organisation.objects.filter(path__in=wanted).values_list("path", "level", "name")
    }
    levels = {path: level for path, (level, _name) in orgs.items()}
    result = {}
    for path in region_paths:
        district = domain.district_path(path, levels)
        result[path] = orgs.get(district or path, ("", ""))[1]
    return result
