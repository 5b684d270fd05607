"""Last spring's reform, made real in the history (issue 17: "what last spring's reform saved").

`history_reform_apply` gives a few matters and one bundle of the history's main region the versions a reform
leaves behind, through the catalogue's own services (each step audited on the matter's or bundle's stream):

- **v1**, the version as loaded, is dated back to the day before the history (one UPDATE: the demo publishes
  its catalogue on the day it is loaded, while the history files cases under it all year);
- **v2**, the rules before the reform, valid from the history's first day: the matter's promised limit doubled
  (at most its statutory limit) and one or two more documents asked (营业执照副本复印件, 法定代表人身份证复印件,
  the proofs such reforms drop once they can be read from e-certificates); the bundle's first stage of several
  matters split in two stages one after another (its lead department's matters first);
- **v3**, the reform, valid from the spring day (`reform_day`): v1's content again — the limit cut, the
  documents dropped, the two stages one parallel stage. The catalogue as loaded stays the current version, so
  loading the demo again changes nothing.

The writer then files each case under the version valid on its day (`world.products_load(since)`), and the
plan's review durations follow that version's promised limit, so the days really fall after the reform.
`history_reform_record` records the matching `Reform` (`reforms.services.reform_record`, by a system admin of
the region). Matters and bundles with more than one version, or in a bundle, are left alone: a second run of
the history changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import Count

from onewindow.analytics.history.world import Product, products_load
from onewindow.analytics.models import Reform
from onewindow.analytics.reforms.services import ReformInput, reform_record
from onewindow.catalogue.domain import MaterialSpec
from onewindow.catalogue.models import Bundle, BundleVersion, Matter, MatterVersion, StageMatter
from onewindow.catalogue.services import (
    StageSpec,
    bundle_version_draft_from,
    bundle_version_publish,
    bundle_version_update,
    materials_of,
    matter_content_of,
    matter_version_draft_from,
    matter_version_publish,
    matter_version_update,
    stages_of,
)
from onewindow.errors import DomainError
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Membership, Organisation, User

MATTERS = 3
SPRING = (4, 1)
MARGIN = dt.timedelta(days=91)  # three months of cases on each side of the reform
DROPPED = (("licence_copy", "营业执照副本复印件"), ("legal_rep_id_copy", "法定代表人身份证复印件"))
TITLE = "政务服务“减材料、减环节、减时限”改革"


def reform_day(today: dt.date, first_day: dt.date) -> dt.date | None:
    """April 1 of this year once three months have passed since it (else of last year), moved to keep three
    months of history on each side; None when the history is shorter than half a year."""
    earliest, latest = first_day + MARGIN, today - MARGIN
    if earliest > latest:
        return None
    spring = dt.date(today.year, *SPRING)
    if spring > latest:
        spring = dt.date(today.year - 1, *SPRING)
    return min(max(spring, earliest), latest)


@dataclass(frozen=True)
class MatterReformed:
    matter: Matter
    name: str
    old_days: int
    new_days: int
    dropped: tuple[str, ...]

    @property
    def text(self) -> str:
        cut = f"{self.name}承诺时限由{self.old_days}个工作日压减至{self.new_days}个工作日"
        return f"{cut}，不再要求提交{'、'.join(self.dropped)}" if self.dropped else cut


@dataclass(frozen=True)
class BundleReformed:
    bundle: Bundle
    name: str
    stages: tuple[str, str]

    @property
    def text(self) -> str:
        first, second = self.stages
        return f"{self.name}的“{first}”“{second}”两个阶段合并为一个阶段并联办理"


@dataclass(frozen=True)
class HistoryReform:
    effective_on: dt.date
    region: Organisation
    matters: tuple[MatterReformed, ...]
    bundles: tuple[BundleReformed, ...]
    actor: User | None  # the system admin who keeps the region's catalogue

    @property
    def document_number(self) -> str:
        return f"{self.region.name[:1]}政办发〔{self.effective_on.year}〕8号"

    @property
    def description(self) -> str:
        on = self.effective_on
        changes = "；".join([m.text for m in self.matters] + [b.text for b in self.bundles])
        return f"自{on.year}年{on.month}月{on.day}日起：{changes}。"


def _keeper(region: Organisation) -> User | None:
    """A system admin of the region or above (the highest first)."""
    rows = Membership.objects.filter(role=Role.SYSTEM_ADMIN, user__is_active=True).select_related(
        "user", "organisation"
    )
    above = [m for m in rows.order_by("organisation__depth", "pk") if region.path.startswith(m.organisation.path)]
    return above[0].user if above else None


def _single_version(model: type[Matter] | type[Bundle]) -> set[int]:
    return set(model.objects.annotate(n=Count("versions")).filter(n=1).values_list("pk", flat=True))


def _matters_chosen(products: list[Product], region: Organisation) -> list[MatterVersion]:
    """The single matters of the region with the longest promised limits that a reform can cut (one per
    department), never one of a bundle."""
    pinned = set(StageMatter.objects.values_list("matter_id", flat=True))
    single = _single_version(Matter)
    candidates = [
        v
        for p in products
        if (v := p.matter_version) is not None
        and p.region == region
        and v.matter_id in single
        and v.matter_id not in pinned
        and v.statutory_limit_days > v.promised_limit_days >= 1
    ]
    chosen: list[MatterVersion] = []
    departments: set[int] = set()
    for version in sorted(candidates, key=lambda v: (-v.promised_limit_days, v.matter.code)):
        if version.matter.department_id not in departments and len(chosen) < MATTERS:
            chosen.append(version)
            departments.add(version.matter.department_id)
    return chosen


def _bundle_chosen(products: list[Product], region: Organisation) -> BundleVersion | None:
    """The region's first bundle (by code) with a stage of several matters, never one that charges fees: the
    fees are attached to the loaded version's stages, which the reform's versions do not carry."""
    single = _single_version(Bundle)
    for product in sorted(products, key=lambda p: p.bundle_version.bundle.code if p.bundle_version else ""):
        version = product.bundle_version
        if version is None or product.charging or product.region != region or version.bundle_id not in single:
            continue
        if any(len(stage.matters) >= 2 for stage in stages_of(version)):
            return version
    return None


def _date_back(version: MatterVersion | BundleVersion, day: dt.date) -> None:
    if version.valid_from is None or version.valid_from > day:
        type(version).objects.filter(pk=version.pk).update(valid_from=day)


def _reform_matter(
    version: MatterVersion, index: int, first_day: dt.date, spring: dt.date, actor: User | None
) -> MatterReformed:
    _date_back(version, first_day - dt.timedelta(days=1))
    content, materials = matter_content_of(version), materials_of(version)
    taken = {m.key for m in materials} | {m.name for m in materials}
    extra = [MaterialSpec(key, name, form="copy") for key, name in DROPPED if key not in taken and name not in taken]
    extra = extra[: 2 if index % 2 == 0 else 1]
    new_days = content.promised_limit_days
    old_days = min(content.statutory_limit_days, max(new_days * 2, new_days + 5))
    old = matter_version_draft_from(actor=actor, version=version)
    old_content = replace(content, promised_limit_days=old_days)
    old = matter_version_update(actor=actor, version=old, content=old_content, materials=[*materials, *extra])
    matter_version_publish(actor=actor, version=old, valid_from=first_day)
    new = matter_version_draft_from(actor=actor, version=old)
    new = matter_version_update(actor=actor, version=new, content=content, materials=materials)
    matter_version_publish(actor=actor, version=new, valid_from=spring)
    return MatterReformed(version.matter, version.name, old_days, new_days, tuple(m.name for m in extra))


def _reform_bundle(version: BundleVersion, first_day: dt.date, spring: dt.date, actor: User | None) -> BundleReformed:
    _date_back(version, first_day - dt.timedelta(days=1))
    stages = stages_of(version)
    index = next(i for i, stage in enumerate(stages) if len(stage.matters) >= 2)
    stage = stages[index]
    lead = [m for m in stage.matters if m.department_id == stage.lead_department.pk]
    first = lead if 0 < len(lead) < len(stage.matters) else [stage.matters[0]]
    rest = [m for m in stage.matters if m not in first]
    first_name = MatterVersion.objects.filter(matter=first[0]).order_by("-number").values_list("name", flat=True)[0]
    split = [
        StageSpec(first_name, stage.lead_department, tuple(first)),
        StageSpec(f"{stage.name}后续事项", stage.lead_department, tuple(rest)),
    ]
    old = bundle_version_draft_from(actor=actor, version=version)
    old = bundle_version_update(
        actor=actor, version=old, name=version.name, stages=[*stages[:index], *split, *stages[index + 1 :]]
    )
    bundle_version_publish(actor=actor, version=old, valid_from=first_day)
    new = bundle_version_draft_from(actor=actor, version=old)
    new = bundle_version_update(actor=actor, version=new, name=version.name, stages=stages)
    bundle_version_publish(actor=actor, version=new, valid_from=spring)
    return BundleReformed(version.bundle, version.name, (split[0].name, split[1].name))


def history_reform_apply(*, today: dt.date, first_day: dt.date) -> HistoryReform | None:
    """The reform's versions in the catalogue (see the module); None when there is nothing to reform."""
    spring = reform_day(today, first_day)
    products = products_load()
    regions = Counter(p.region for p in products if p.matter_version is not None)
    if spring is None or not regions:
        return None
    region = regions.most_common(1)[0][0]
    matters = _matters_chosen(products, region)
    bundle = _bundle_chosen(products, region)
    if not matters and bundle is None:
        return None
    actor = _keeper(region)
    with transaction.atomic():
        reformed = tuple(_reform_matter(v, i, first_day, spring, actor) for i, v in enumerate(matters))
        bundles = (_reform_bundle(bundle, first_day, spring, actor),) if bundle is not None else ()
    return HistoryReform(spring, region, reformed, bundles, actor)


def history_reform_record(reform: HistoryReform) -> Reform | None:
    """The matching `Reform`, recorded by the region's system admin; None without one (or when it is there)."""
    if reform.actor is None:
        return None
    data = ReformInput(
        title=TITLE,
        document_number=reform.document_number,
        effective_on=reform.effective_on,
        organisation_id=reform.region.pk,
        description=reform.description,
        matter_ids=[m.matter.pk for m in reform.matters],
        bundle_ids=[b.bundle.pk for b in reform.bundles],
    )
    try:
        return reform_record(actor=reform.actor, data=data)
    except DomainError:
        return None
