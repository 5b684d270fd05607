"""Reads of the reform results, scoped like the leaders' analysis (`analytics.figures.selectors`: `analysis_scope`,
`cases_in`, imported): a reform is visible to the analysts whose scope holds its region (another district's is
404 like a missing one); its cases are those of its matters and bundles the reader may analyse (received in
the subtree, or reviewed by one of its departments), narrowed by the region and department filters.

`case_facts` reads every case of both windows with what it asked, its promised limit and its steps in six
queries, whatever their number: the cases, their review tasks counted per case, and the versions' required
materials and promised limits (a bundle version's through the matter versions it pinned).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.analytics.figures.selectors import (
    Filters,
    Period,
    analysis_scope,
    bundle_names,
    cases_in,
    matter_names,
)
from onewindow.analytics.models import Reform
from onewindow.analytics.reforms.domain import DEFAULT_MONTHS, MAX_MONTHS, CaseFacts, Windows, bundle_promised_days
from onewindow.cases.models import Case, Task
from onewindow.catalogue.models import Bundle, Material, Matter, MatterVersion, StageMatter
from onewindow.errors import InvalidFields, NotFound, PermissionDenied
from onewindow.orgs.models import Organisation, User

EARLIEST = dt.date(2000, 1, 1)
SUBJECT_KINDS = ("matter", "bundle")


def reforms_visible(user: User) -> QuerySet[Reform]:
    """The reforms of the regions in the reader's analysis scope, latest first (403 for non-analysts)."""
    scope = analysis_scope(user)
    return (
        Reform.objects.filter(organisation__in=scope)
        .select_related("organisation")
        .prefetch_related("matters", "bundles")
        .order_by("-effective_on", "-pk")
    )


def reform_get_for_user(user: User, reform_id: int) -> Reform:
    reform = reforms_visible(user).filter(pk=reform_id).first()
    if reform is None:
        raise NotFound(_("未找到该改革。"), code="analytics_reform_not_found")
    return reform


def reform_for_trail(user: User, reform_id: int) -> Reform:
    """`reform_get_for_user` for the audit trail's access check: a reader who is no analyst sees no reform."""
    try:
        return reform_get_for_user(user, reform_id)
    except PermissionDenied as exc:
        raise NotFound(exc.message, code="analytics_reform_not_found") from exc


def months_of(text: str) -> int:
    """The months compared on each side (1–12, default 3); 422 `analytics_reform_months_invalid`."""
    text = (text or "").strip()
    if not text:
        return DEFAULT_MONTHS
    if text.isdigit() and 1 <= int(text) <= MAX_MONTHS:
        return int(text)
    message = _("比较时长应为 1 至 %(most)s 的整数（月）。") % {"most": MAX_MONTHS}
    raise InvalidFields(_("比较时长有误。"), errors={"months": message}, code="analytics_reform_months_invalid")


def subjects_of(reform: Reform) -> list[tuple[str, int]]:
    """The reform's matters and bundles as subjects, ("matter", id) or ("bundle", id), matters first."""
    matters = sorted(m.pk for m in reform.matters.all())
    bundles = sorted(b.pk for b in reform.bundles.all())
    return [("matter", pk) for pk in matters] + [("bundle", pk) for pk in bundles]


def subject_of(reform: Reform, text: str) -> tuple[str, int] | None:
    """`matter-<id>` or `bundle-<id>` of one of the reform's subjects; empty: all of them (None); 404 otherwise."""
    if not text:
        return None
    kind, _sep, pk = text.partition("-")
    subject = (kind, int(pk)) if kind in SUBJECT_KINDS and pk.isdigit() else None
    if subject is None or subject not in subjects_of(reform):
        raise NotFound(_("该改革不涉及此事项或一件事。"), code="analytics_reform_subject_not_found")
    return subject


def _of_subjects(cases: QuerySet[Case], subjects: list[tuple[str, int]]) -> QuerySet[Case]:
    matters = [pk for kind, pk in subjects if kind == "matter"]
    bundles = [pk for kind, pk in subjects if kind == "bundle"]
    return cases.filter(Q(matter_version__matter_id__in=matters) | Q(bundle_version__bundle_id__in=bundles))


def first_submitted_on(user: User, reform: Reform, filters: Filters, today: dt.date) -> dt.date | None:
    """The day the first case of the reform's matters and bundles in scope and filters was submitted."""
    cases = _of_subjects(
        cases_in(user, Filters(Period(EARLIEST, today), filters.region, filters.department), by="submitted"),
        subjects_of(reform),
    )
    first = cases.aggregate(first=Min("submitted_at"))["first"]
    return timezone.localtime(first).date() if first is not None else None


@dataclass(frozen=True)
class VersionFacts:
    materials: int  # required materials
    promised_days: int


def _matter_versions(ids: set[int]) -> dict[int, VersionFacts]:
    required = dict(
        Material.objects.filter(version_id__in=ids, required=True)
        .values("version_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("version_id", "n")
    )
    promised = MatterVersion.objects.filter(pk__in=ids).values_list("pk", "promised_limit_days")
    return {pk: VersionFacts(required.get(pk, 0), days) for pk, days in promised}


def _bundle_versions(ids: set[int]) -> dict[int, VersionFacts]:
    """A bundle version's required materials (each key once) and promised limit, through its pinned matters."""
    pins = list(
        StageMatter.objects.filter(stage__bundle_version_id__in=ids, matter_version__isnull=False).values_list(
            "stage__bundle_version_id", "stage__position", "matter_version_id", "matter_version__promised_limit_days"
        )
    )
    keys: dict[int, set[str]] = defaultdict(set)
    pinned = {version for _b, _s, version, _d in pins}
    for version, key in Material.objects.filter(version_id__in=pinned, required=True).values_list("version_id", "key"):
        keys[version].add(key)
    stages: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    asked: dict[int, set[str]] = defaultdict(set)
    for bundle_version, position, version, days in pins:
        stages[bundle_version][position].append(days)
        asked[bundle_version] |= keys[version]
    return {
        pk: VersionFacts(len(asked[pk]), bundle_promised_days(stages[pk][p] for p in sorted(stages[pk]))) for pk in ids
    }


def _steps(cases: QuerySet[Case]) -> dict[int, tuple[int, int]]:
    """Per case: (review tasks, stages with a review task)."""
    rows = (
        Task.objects.filter(case_id__in=cases.values("pk"), kind=Task.Kind.REVIEW)
        .values("case_id")
        .annotate(tasks=Count("pk"), stages=Count("stage", distinct=True))
        .order_by()
    )
    return {row["case_id"]: (row["tasks"], row["stages"]) for row in rows}


def case_facts(user: User, reform: Reform, filters: Filters, windows: Windows) -> list[CaseFacts]:
    """Every case of the reform's subjects submitted in either window, in scope and filters, by submission."""
    span = Filters(Period(windows.before.first, windows.after.last), filters.region, filters.department)
    cases = _of_subjects(cases_in(user, span, by="submitted"), subjects_of(reform))
    rows = list(
        cases.values_list(
            "pk",
            "matter_version_id",
            "matter_version__matter_id",
            "bundle_version_id",
            "bundle_version__bundle_id",
            "submitted_at",
            "completed_at",
            "status",
        ).order_by("submitted_at", "pk")
    )
    matters = _matter_versions({r[1] for r in rows if r[1] is not None})
    bundles = _bundle_versions({r[3] for r in rows if r[3] is not None})
    steps = _steps(cases)
    result = []
    for pk, matter_version, matter, bundle_version, bundle, submitted, completed, status in rows:
        if submitted is None:
            continue
        if matter_version is not None:
            subject, version = ("matter", matter), matters[matter_version]
        else:
            subject, version = ("bundle", bundle), bundles[bundle_version]
        tasks, stages = steps.get(pk, (0, 0))
        decided = timezone.localtime(completed) if status == "completed" and completed is not None else None
        result.append(
            CaseFacts(
                pk,
                subject,
                timezone.localtime(submitted),
                decided,
                version.materials,
                version.promised_days,
                tasks,
                stages,
            )
        )
    return result


def case_labels(ids: list[int]) -> dict[int, tuple[str, str]]:
    """Each case's number and status."""
    return {
        pk: (number, status)
        for pk, number, status in Case.objects.filter(pk__in=ids).values_list("pk", "number", "status")
    }


# --- recording: what a system admin may choose -----------------------------------------------------------------


def subject_choices(organisations: QuerySet[Organisation]) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The matters of the departments in `organisations` and the bundles with a stage led by one of them, each
    with its latest version's name, by code."""
    matters = list(Matter.objects.filter(department__in=organisations).order_by("code").values_list("pk", "code"))
    bundles = list(
        Bundle.objects.filter(versions__stages__lead_department__in=organisations)
        .distinct()
        .order_by("code")
        .values_list("pk", "code")
    )
    m_names, b_names = matter_names({pk for pk, _c in matters}), bundle_names({pk for pk, _c in bundles})
    return (
        [(pk, f"{m_names.get(pk, code)}（{code}）") for pk, code in matters],
        [(pk, f"{b_names.get(pk, code)}（{code}）") for pk, code in bundles],
    )
