"""Scoped reads of ranking, warnings and assessment. Who sees what:

- project classes: the projects the user may see (`projects_visible_to`: the key-project office
  of the region's subtree, the service team, the responsible leader);
- district ranks: every district's score and position, to anyone who may open the ranking pages
  (they are aggregates the office publishes in its bulletin, with no project or personal data);
- warnings: the key-project office sees those of its subtree (the city's office all, a district's
  its own); a leader those of the districts where they hold projects; only the warned district's
  own office acknowledges a warning and records its rectification;
- assessment: the districts and departments of the office's subtree, or of the user's projects;
- the public progress board (进度牌): every classed project's name, district and class, no people.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext

from onewindow.dispatch.selectors import problem_counts_by_unit
from onewindow.errors import NotFound
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Membership, Organisation, User
from onewindow.orgs.selectors import organisations_visible_to, user_has_role
from onewindow.projects.selectors import projects_visible_to
from onewindow.ranking.domain.classification import completion_share, percent
from onewindow.ranking.domain.periods import period_label
from onewindow.ranking.domain.rules import RANK_CLASS_LABELS
from onewindow.ranking.models import AssessmentScore, DistrictRank, ProjectRank, RankingRun, RuleVersion, Warning


def is_office(user: User) -> bool:
    return user_has_role(user, Role.PROJECT_OFFICE)


def is_city_office(user: User) -> bool:
    """A member of the key-project office of a top-level region (the city's 重点项目办)."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, role=Role.PROJECT_OFFICE, organisation__parent__isnull=True, organisation__kind="region"
    ).exists()


def can_open_ranking(user: User) -> bool:
    """The ranking, dashboard and assessment pages: the office, leaders, and anyone on a service team."""
    if not user.is_authenticated:
        return False
    return user_has_role(user, Role.PROJECT_OFFICE, Role.LEADER) or projects_visible_to(user).exists()


def can_open_warnings(user: User) -> bool:
    return user_has_role(user, Role.PROJECT_OFFICE, Role.LEADER)


# --- periods and rules ----------------------------------------------------------------------------


def ranked_periods() -> list[dt.date]:
    return list(RankingRun.objects.order_by("-period").values_list("period", flat=True))


def latest_ranked_period() -> dt.date | None:
    return RankingRun.objects.order_by("-period").values_list("period", flat=True).first()


def ranking_run_for(period: dt.date) -> RankingRun | None:
    return RankingRun.objects.select_related("rule_version", "ran_by").filter(period=period).first()


def rule_versions() -> QuerySet[RuleVersion]:
    return RuleVersion.objects.select_related("created_by").order_by("-effective_from")


# --- project classes and district ranks ----------------------------------------------------------


def project_ranks_for(user: User, period: dt.date) -> QuerySet[ProjectRank]:
    return (
        ProjectRank.objects.filter(period=period, project__in=projects_visible_to(user))
        .select_related("project", "district", "rule_version")
        .order_by("district__code", "rank_class", "project__code")
    )


def project_rank_history(user: User, project_id: int) -> QuerySet[ProjectRank]:
    """One project's classes over time (for the leader report and the project page)."""
    return (
        ProjectRank.objects.filter(project_id=project_id, project__in=projects_visible_to(user))
        .select_related("rule_version")
        .order_by("period")
    )


def district_ranks(period: dt.date) -> QuerySet[DistrictRank]:
    return DistrictRank.objects.filter(period=period).select_related("district", "rule_version").order_by("position")


def class_counts(ranks: QuerySet[ProjectRank]) -> dict[str, int]:
    """How many of the given ranks fall in each class (one query)."""
    return dict(ranks.order_by().values_list("rank_class").annotate(n=Count("pk")))


def board_rows(period: dt.date, district_id: int | None = None) -> QuerySet[ProjectRank]:
    """The public progress board: classed projects by district (names and classes only)."""
    ranks = ProjectRank.objects.filter(period=period)
    if district_id is not None:
        ranks = ranks.filter(district_id=district_id)
    return (
        ranks.select_related("project", "district")
        .only("rank_class", "period", "project__code", "project__name", "district__name", "district__code")
        .order_by("district__code", "rank_class", "project__code")
    )


def board_districts(period: dt.date) -> list[dict[str, object]]:
    """Per district: its name and the number of projects in each class (one query)."""
    rows = (
        ProjectRank.objects.filter(period=period)
        .order_by()
        .values("district_id", "district__name", "district__code", "rank_class")
        .annotate(n=Count("pk"))
    )
    districts: dict[int, dict[str, object]] = {}
    for row in rows:
        entry = districts.setdefault(
            row["district_id"],
            {"id": row["district_id"], "name": row["district__name"], "code": row["district__code"], "counts": {}},
        )
        counts = entry["counts"]
        assert isinstance(counts, dict)
        counts[row["rank_class"]] = row["n"]
    return sorted(districts.values(), key=lambda entry: str(entry["code"]))


# --- warnings ------------------------------------------------------------------------------------


def warning_districts_for(user: User) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    condition = Q(pk__in=[])
    if user_has_role(user, Role.PROJECT_OFFICE):
        condition |= Q(pk__in=organisations_visible_to(user, roles={Role.PROJECT_OFFICE}).values("pk"))
    if user_has_role(user, Role.LEADER):
        condition |= Q(pk__in=projects_visible_to(user).values("district_id"))
    return Organisation.objects.filter(condition)


def warnings_visible_to(user: User) -> QuerySet[Warning]:
    return (
        Warning.objects.filter(district__in=warning_districts_for(user))
        .select_related("district", "acknowledged_by", "rule_version")
        .prefetch_related("rectification_notes__written_by")
        .order_by("-period", "district__code")
    )


def warning_get_for_user(user: User, warning_id: int) -> Warning:
    """The warning if the user may see it; the same "not found" for missing and forbidden."""
    warning = warnings_visible_to(user).filter(pk=warning_id).first()
    if warning is None:
        raise NotFound("未找到该预警", code="warning_not_found")
    return warning


def handled_district_ids(user: User) -> set[int]:
    """The districts whose warnings the user acknowledges and rectifies: those whose key-project
    office they belong to themselves (not the offices above them)."""
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user, role=Role.PROJECT_OFFICE).values_list("organisation_id", flat=True))


def can_handle_warning(user: User, warning: Warning) -> bool:
    return warning.district_id in handled_district_ids(user)


def warnings_for_districts(district_ids: list[int], period: dt.date) -> QuerySet[Warning]:
    """Warnings in force (not withdrawn) for some districts up to a period (for reports)."""
    return Warning.objects.filter(district_id__in=district_ids, period__lte=period, withdrawn_at__isnull=True)


# --- assessment ----------------------------------------------------------------------------------


def assessment_organisations_for(user: User) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    projects = projects_visible_to(user)
    condition = Q(pk__in=projects.values("district_id")) | Q(pk__in=projects.values("responsible_unit_id"))
    if user_has_role(user, Role.PROJECT_OFFICE):
        condition |= Q(pk__in=organisations_visible_to(user, roles={Role.PROJECT_OFFICE}).values("pk"))
    return Organisation.objects.filter(condition)


def assessment_scores_for(user: User, *, window: str, period: dt.date, subject: str) -> QuerySet[AssessmentScore]:
    return (
        AssessmentScore.objects.filter(
            window=window, period=period, subject=subject, organisation__in=assessment_organisations_for(user)
        )
        .select_related("organisation", "organisation__parent", "rule_version")
        .order_by("position", "organisation__code")
    )


def assessment_score_get_for_user(user: User, score_id: int) -> AssessmentScore:
    score = (
        AssessmentScore.objects.filter(pk=score_id, organisation__in=assessment_organisations_for(user))
        .select_related("organisation", "rule_version")
        .first()
    )
    if score is None:
        raise NotFound("未找到该考核得分", code="assessment_not_found")
    return score


def assessment_drill_down(user: User, score: AssessmentScore) -> QuerySet[ProjectRank]:
    """The projects behind a score as of its last month: a district's, or a department's."""
    ranks = project_ranks_for(user, score.as_of)
    if score.subject == AssessmentScore.Subject.DISTRICT:
        return ranks.filter(district_id=score.organisation_id)
    return ranks.filter(responsible_unit_id=score.organisation_id)


# --- dashboards ----------------------------------------------------------------------------------


def completion_by_district_and_month(user: User, year: int) -> list[dict[str, object]]:
    """Investment completion (year to date over plan, %) per district and month over the user's
    projects (one query): [{"district": name, "period": date, "completion_pct": Decimal | None}]."""
    rows = (
        ProjectRank.objects.filter(period__year=year, project__in=projects_visible_to(user))
        .order_by()
        .values("district__name", "district__code", "period")
        .annotate(plan=Sum("annual_plan"), ytd=Sum("invested_year_to_date"))
        .order_by("district__code", "period")
    )
    result = []
    for row in rows:
        share = completion_share(row["ytd"] or Decimal(0), row["plan"] or Decimal(0))
        completion = percent(share) if share is not None else None
        result.append({"district": row["district__name"], "period": row["period"], "completion_pct": completion})
    return result


def problems_by_unit(user: User, *, today: dt.date) -> list[dict[str, object]]:
    """Open, overdue and closed problems of the user's projects per assigned unit, counted as the
    dispatch board counts them."""
    rows = problem_counts_by_unit(projects_visible_to(user), today=today)
    return [
        {
            "unit": row.unit.name,
            "open": row.open_count - row.overdue_count,
            "overdue": row.overdue_count,
            "closed": row.closed_count,
        }
        for row in sorted(rows, key=lambda row: row.unit.code)
    ]


def dashboard_data(user: User, year: int, period: dt.date | None, *, today: dt.date) -> dict[str, Any]:
    """What the dashboard charts draw (also served by GET /api/ranking/dashboard)."""
    completion = completion_by_district_and_month(user, year)
    months = sorted({row["period"] for row in completion}, key=str)
    districts = sorted({str(row["district"]) for row in completion})
    table = {(row["district"], row["period"]): row["completion_pct"] for row in completion}
    counts = class_counts(project_ranks_for(user, period)) if period else {}
    problems = problems_by_unit(user, today=today)
    return {
        "year": year,
        "months": [f"{month:%Y-%m}" for month in months if isinstance(month, dt.date)],
        "completion": [
            {"district": name, "values": [_number(table.get((name, month))) for month in months]} for name in districts
        ],
        "period": period_label(period) if period else None,
        "classes": [
            {"rank_class": key.value, "label": gettext(label), "count": counts.get(key.value, 0)}
            for key, label in RANK_CLASS_LABELS.items()
        ],
        "problems": problems,
    }


def _number(value: object) -> float | None:
    return float(str(value)) if value is not None else None
