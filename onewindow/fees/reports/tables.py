"""The fee reports as tables: one list of named tables that a page (charts and tables), its Excel export and
its API all read, so each shows the same numbers. Money in yuan (Decimal, to the fen)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from onewindow.fees.models import PolicyKind
from onewindow.fees.reports import domain, selectors
from onewindow.fees.reports.domain import Account, K, Reconciliation, Savings
from onewindow.fees.reports.selectors import Period, SavingRows
from onewindow.orgs.domain import mask_id_number, mask_name
from onewindow.orgs.models import Applicant, Organisation, User
from onewindow.web.tables import Cell, Table


@dataclass(frozen=True)
class Report:
    period: Period
    tables: list[Table]
    departments: list[Organisation] = field(default_factory=list)  # the reconciliation's, in scope
    department: Organisation | None = None
    headline: Decimal | None = None  # the savings: this year's relieved amount, in 万元

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


# --- reconciliation ---------------------------------------------------------------------------------------


def reconciliation_for(user: User, *, department_id: int | None, period: Period) -> Report:
    paths = selectors.reconciliation_scope(user)
    department = selectors.department_in_scope(paths, department_id)
    lines = selectors.reconciliation_lines(paths, department, period)
    refunds = selectors.reconciliation_refunds(paths, department, period)
    accounts = {line.account for line in lines} | {refund.account for refund in refunds}
    departments, names = selectors.account_names(accounts)
    days = domain.reconcile_days(lines, refunds, period.first, period.last)
    totals = domain.reconcile_period(lines, refunds, period.first, period.last)

    def label(account: Account) -> dict[str, Cell]:
        return {
            "department": departments.get(account.department, ""),
            "account_name": names.get(account, ""),
            "account_number": account.number,
        }

    def order(account: Account) -> tuple[str, str]:
        return (departments.get(account.department, ""), account.number)

    daily = [
        label(account) | {"day": day.isoformat()} | _reconciliation_cells(days[(account, day)])
        for account, day in sorted(days, key=lambda key: (order(key[0]), key[1]))
    ]
    summary = [label(a) | _reconciliation_cells(totals[a]) for a in sorted(totals, key=order)]
    scope = list(selectors.collecting_departments(paths))
    tables = [
        Table("reconciliation_accounts", _("对账汇总（按执收部门和账户）"), _reconciliation_columns(False), summary),
        Table("reconciliation_daily", _("逐日对账（按执收部门、账户和日期）"), _reconciliation_columns(True), daily),
    ]
    return Report(period, tables, departments=scope, department=department)


def _reconciliation_columns(daily: bool) -> list[tuple[str, str]]:
    return [
        ("department", _("执收部门")),
        ("account_name", _("收款账户名称")),
        ("account_number", _("收款账号")),
        *([("day", _("日期"))] if daily else []),
        ("issued_count", _("出具笔数")),
        ("issued_amount", _("出具应缴金额（元）")),
        ("paid_count", _("缴款笔数")),
        ("paid_amount", _("缴款金额（元）")),
        ("refunded_count", _("退款笔数")),
        ("refunded_amount", _("退款金额（元）")),
        ("outstanding_count", _("日终未缴笔数") if daily else _("期末未缴笔数")),
        ("outstanding_amount", _("日终未缴金额（元）") if daily else _("期末未缴金额（元）")),
    ]


def _reconciliation_cells(r: Reconciliation) -> dict[str, Cell]:
    return {
        "issued_count": r.issued.count,
        "issued_amount": r.issued.amount,
        "paid_count": r.paid.count,
        "paid_amount": r.paid.amount,
        "refunded_count": r.refunded.count,
        "refunded_amount": r.refunded.amount,
        "outstanding_count": r.outstanding.count,
        "outstanding_amount": r.outstanding.amount,
    }


# --- savings ----------------------------------------------------------------------------------------------


def _saving_columns() -> list[tuple[str, str]]:
    return [
        ("bill_count", _("缴款通知书数")),
        ("computed_amount", _("应收金额（元）")),
        ("relieved_amount", _("企业少缴金额（元）")),
        ("subsidised_amount", _("其中：财政补贴（元）")),
    ]


def _saving_cells(s: Savings) -> dict[str, Cell]:
    return {
        "bill_count": s.bill_count,
        "computed_amount": s.computed_amount,
        "relieved_amount": s.relieved_amount,
        "subsidised_amount": s.subsidised_amount,
    }


def _kind_label(kind: str) -> str:
    return str(dict(PolicyKind.choices).get(kind, kind))


def savings_public(*, period: Period, today: dt.date) -> Report:
    """The public totals: per policy, month, district and industry; no enterprise. The headline: this year's."""
    rows = selectors.saving_rows(period)
    year = selectors.Period(today.replace(month=1, day=1), today)
    headline = domain.in_wan(domain.savings_total(selectors.saving_rows(year).facts).relieved_amount)
    return Report(period, _totals_tables(rows), headline=headline)


def savings_list(user: User, *, period: Period) -> Report:
    """The finance office's list: per payer and policy, then the totals. A natural person's name and ID number
    are always masked here (`orgs.domain.mask_name`, `mask_id_number`): the list is for the policies' effect,
    and nobody's work on it needs a person's identity (enterprises are named in full)."""
    rows = selectors.saving_rows(period, selectors.savings_list_scope(user))
    by_payer = domain.savings_by(rows.facts, lambda f: (f.payer, f.policy, f.district, f.industry))
    ordered = sorted(by_payer.items(), key=lambda item: (-item[1].relieved_amount, item[0][0], item[0][1]))
    enterprise_rows = [
        _payer_cells(rows.payers[payer])
        | {"district": district, "industry": industry or _("未填写")}
        | _policy_cells(policy, rows)
        | _saving_cells(savings)
        for (payer, policy, district, industry), savings in ordered
    ]
    columns = [
        ("payer", _("缴款人")),
        ("payer_id_number", _("统一社会信用代码/证件号码")),
        ("district", _("区县")),
        ("industry", _("行业")),
        ("document_number", _("政策文号")),
        ("title", _("政策名称")),
        ("kind", _("政策类型")),
        *_saving_columns(),
    ]
    enterprise = Table("savings_by_enterprise", _("减免明细（按缴款人和政策）"), columns, enterprise_rows)
    return Report(period, [enterprise, *_totals_tables(rows)])


def _payer_cells(payer: Applicant) -> dict[str, Cell]:
    if payer.kind == Applicant.Kind.PERSON:
        return {"payer": mask_name(payer.name), "payer_id_number": mask_id_number(payer.id_number)}
    return {"payer": payer.name, "payer_id_number": payer.id_number}


def _policy_cells(policy: tuple[str, str], rows: SavingRows) -> dict[str, Cell]:
    number, kind = policy
    return {"document_number": number, "title": rows.policy_titles.get(policy, ""), "kind": _kind_label(kind)}


def _totals_tables(rows: SavingRows) -> list[Table]:
    facts = rows.facts
    by_policy = domain.savings_by(facts, lambda f: f.policy)
    by_month = domain.savings_by(facts, lambda f: f.month)
    by_district = domain.savings_by(facts, lambda f: f.district)
    by_industry = domain.savings_by(facts, lambda f: f.industry)
    policy_columns = [("document_number", _("政策文号")), ("title", _("政策名称")), ("kind", _("政策类型"))]
    return [
        Table(
            "savings_by_policy",
            _("减免成效（按政策）"),
            [*policy_columns, *_saving_columns()],
            [_policy_cells(p, rows) | _saving_cells(by_policy[p]) for p in _largest_first(by_policy)],
        ),
        Table(
            "savings_by_month",
            _("减免成效（按月份）"),
            [("month", _("月份")), *_saving_columns()],
            [_named("month", m) | _saving_cells(by_month[m]) for m in sorted(by_month)],
        ),
        Table(
            "savings_by_district",
            _("减免成效（按区县）"),
            [("district", _("区县")), *_saving_columns()],
            [_named("district", d or _("未知")) | _saving_cells(by_district[d]) for d in _largest_first(by_district)],
        ),
        Table(
            "savings_by_industry",
            _("减免成效（按行业）"),
            [("industry", _("行业")), *_saving_columns()],
            [_named("industry", i or _("未填写")) | _saving_cells(by_industry[i]) for i in _largest_first(by_industry)],
        ),
    ]


def _named(key: str, value: str) -> dict[str, Cell]:
    return {key: value}


def _largest_first(groups: dict[K, Savings]) -> list[K]:
    return sorted(groups, key=lambda g: (-groups[g].relieved_amount, str(g)))
