"""Reads of 服务经济发展, scoped like the figures (`analytics.figures.selectors`, imported, not copied): the
decided cases of the enterprise set-up bundle (企业开办, `990100-YJS-002`; where it is absent, the matters of
the market-regulation department), of the industrial-project bundle (`990100-YJS-001`), and the green-channel
cases beside the ordinary ones of the same matters. One query per figure, whatever the number of cases."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.analytics.facts import queries
from onewindow.analytics.figures import selectors as figures
from onewindow.analytics.figures import sources
from onewindow.analytics.figures.selectors import Filters
from onewindow.analytics.report.domain import month_bounds, previous_month
from onewindow.cases.models import Case
from onewindow.catalogue.models import Bundle, Matter
from onewindow.errors import InvalidFields
from onewindow.orgs.models import User

INDUSTRIAL_BUNDLE, BUSINESS_START_BUNDLE = "990100-YJS-001", "990100-YJS-002"
MARKET_REGULATION = "市场监督管理"


def month_of(text: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """`YYYY-MM` (empty: the last complete month before today); a wrong one is 422 `analytics_month_invalid`."""
    if not text:
        return previous_month(today.replace(day=1))
    bounds = month_bounds(text)
    if bounds is None:
        raise InvalidFields(
            _("月份有误。"), errors={"month": _("月份格式应为 YYYY-MM。")}, code="analytics_month_invalid"
        )
    return bounds


def sender_of(user: User) -> str:
    """The report's sender: the highest organisation of the reader's scope."""
    top = figures.analysis_scope(user).order_by("depth", "path").first()
    return f"{top.name}政务服务中心" if top is not None else ""


class Decided(NamedTuple):
    """A decided case as the economy figures read it: the month it was completed in (Asia/Shanghai) and its
    calendar days from submission to completion (clock stops included: the applicant's wait too). A tuple: a
    month's report reads some 100,000 of them at a city's scale."""

    case: int
    subject: tuple[str, int]
    region: int
    month: str  # YYYY-MM
    days: float
    green: bool
    industry: str | None  # the form's 所属行业


def days_between(submitted: dt.datetime, completed: dt.datetime) -> float:
    return max((completed - submitted).total_seconds() / 86400.0, 0.0)


def _rows(cases: QuerySet[Case]) -> list[Decided]:
    rows = cases.values_list(
        "pk",
        "matter_version__matter_id",
        "bundle_version__bundle_id",
        "region_id",
        "submitted_at",
        "completed_at",
        "is_green_channel",
        figures.INDUSTRY,
    ).order_by("pk")
    result = []
    for pk, matter, bundle, region, submitted, completed, green, industry in rows:
        if submitted is None or completed is None:
            continue
        month = f"{timezone.localtime(completed):%Y-%m}"
        days = days_between(submitted, completed)
        result.append(Decided(pk, _subject(matter, bundle), region, month, days, green, figures.industry_of(industry)))
    return result


def _decided(
    user: User,
    filters: Filters,
    cases: QuerySet[Case],
    *,
    matters: list[int] | None = None,
    bundles: list[int] | None = None,
    green: bool = False,
) -> list[Decided]:
    """`cases` (a filter of the decided ones) from the columnar copy when there is one (`figures.sources`: the
    same cases, by their matters or bundles), else from the operational tables."""
    with sources.copy_read(user, filters) as con:
        if con is None:
            return _rows(cases)
        rows = queries.decided_rows(con, matters=matters, bundles=bundles, green=green)
    return [
        Decided(pk, _subject(matter, bundle), region, month, days, green_, industry)
        for pk, matter, bundle, region, month, days, green_, industry in rows
    ]


def _subject(matter: int | None, bundle: int | None) -> tuple[str, int]:
    return ("matter", matter) if matter is not None else ("bundle", bundle)  # type: ignore[return-value]


def setups_of(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The enterprise set-ups among `cases` (the trace of the figures narrows by the same rule)."""
    if Bundle.objects.filter(code=BUSINESS_START_BUNDLE).exists():
        return cases.filter(bundle_version__bundle__code=BUSINESS_START_BUNDLE)
    return cases.filter(matter_version__matter__department__name__contains=MARKET_REGULATION)


def investment_of(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The investment-project approvals among `cases`."""
    return cases.filter(bundle_version__bundle__code=INDUSTRIAL_BUNDLE)


def enterprise_setups(user: User, filters: Filters) -> list[Decided]:
    decided = setups_of(figures.cases_in(user, filters, by="decided"))
    bundles = list(Bundle.objects.filter(code=BUSINESS_START_BUNDLE).values_list("pk", flat=True))
    if bundles:
        return _decided(user, filters, decided, bundles=bundles)
    matters = list(Matter.objects.filter(department__name__contains=MARKET_REGULATION).values_list("pk", flat=True))
    return _decided(user, filters, decided, matters=matters)


def investment_approvals(user: User, filters: Filters) -> list[Decided]:
    bundles = list(Bundle.objects.filter(code=INDUSTRIAL_BUNDLE).values_list("pk", flat=True))
    return _decided(user, filters, investment_of(figures.cases_in(user, filters, by="decided")), bundles=bundles)


def green_and_ordinary(user: User, filters: Filters) -> list[Decided]:
    """The decided cases of every matter or bundle that had a green-channel case decided in the period."""
    decided = figures.cases_in(user, filters, by="decided")
    green = decided.filter(is_green_channel=True)
    matters = green.exclude(matter_version=None).values("matter_version__matter_id")
    bundles = green.exclude(bundle_version=None).values("bundle_version__bundle_id")
    same = Q(matter_version__matter_id__in=matters) | Q(bundle_version__bundle_id__in=bundles)
    return _decided(user, filters, decided.filter(same), green=True)
