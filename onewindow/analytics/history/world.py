"""What the history is written against: the published matters and bundles (as the cases app reads them,
`cases.sources`) and the staff who act on them (a clerk of the region, a reviewer and head of each
department, the lead of a bundle's deciding department), read once before writing.

A matter or bundle is left out of the history when nobody could act on it (no clerk in its region, no
reviewer in a department), when a review needs several sign-offs (会签: not planned yet), or when a stage
charges fees that nobody could collect (`fee_world.py`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import Q

from onewindow.analytics.history.fee_world import ChargingStage, charging_stages, fee_policies
from onewindow.analytics.history.plan import BillSpec, MatterSpec, ProductSpec
from onewindow.cases.services.intake.submission import case_region_for
from onewindow.cases.sources import Source, source_of
from onewindow.catalogue.models import BundleVersion, MatterVersion, OnlineLevel, Stage, VersionStatus
from onewindow.errors import DomainError
from onewindow.fees.models import FeePolicy
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Membership, Organisation, User

# A bundle (一件事) is applied for about as often as four single matters together; an investment project's
# (a bundle that charges fees: construction) about a third as often as one matter.
BUNDLE_WEIGHT = 4.0
INVESTMENT_WEIGHT = 0.3


@dataclass(frozen=True)
class Product:
    """One thing applied for, with everything the writer needs about it."""

    spec: ProductSpec
    matter_version: MatterVersion | None
    bundle_version: BundleVersion | None
    source: Source
    region: Organisation
    clerk: User
    reviewers: dict[int, User]  # department id → the reviewer who acts
    heads: dict[int, User]  # department id → its head (approves extensions), when there is one
    lead: User | None  # a bundle's deciding department's coordinator or head
    charging: dict[int, ChargingStage] = field(default_factory=dict)  # stage position → its fees (一单收费)


def _staff() -> dict[tuple[int, str], User]:
    """The first member (by id) of each organisation and role."""
    found: dict[tuple[int, str], User] = {}
    rows = Membership.objects.select_related("user").filter(user__is_active=True).order_by("pk")
    for membership in rows:
        found.setdefault((membership.organisation_id, membership.role), membership.user)
    return found


def products_load(since: dt.date | None = None) -> list[Product]:
    """The published versions and, with `since`, the versions retired since that day (each applied for only
    while it was valid: `history/reform.py`, `_dated`)."""
    staff, policies = _staff(), fee_policies()
    products: list[Product] = []
    matters = MatterVersion.objects.filter(_usable(since)).select_related("matter").order_by("pk")
    for version in matters:
        product = _product(staff, policies, matter_version=version, bundle_version=None)
        if product is not None:
            products.append(product)
    bundles = BundleVersion.objects.filter(_usable(since)).order_by("pk")
    for bundle in bundles:
        product = _product(staff, policies, matter_version=None, bundle_version=bundle)
        if product is not None:
            products.append(product)
    return _dated(products) if since is not None else products


def _usable(since: dt.date | None) -> Q:
    published = Q(status=VersionStatus.PUBLISHED)
    if since is None:
        return published
    return published | Q(status=VersionStatus.RETIRED, valid_to__gte=since)


def _dated(products: list[Product]) -> list[Product]:
    """Each version of a matter or bundle is applied for from its `valid_from` (the first one from the start of
    the history: the demo's catalogue is published on the day it is loaded) up to its `valid_to` (a retired one)."""
    owners: dict[tuple[str, int], list[Product]] = defaultdict(list)
    for product in products:
        if product.matter_version is not None:
            owners[("matter", product.matter_version.matter_id)].append(product)
        elif product.bundle_version is not None:
            owners[("bundle", product.bundle_version.bundle_id)].append(product)
    dated: dict[int, Product] = {}
    for versions in owners.values():
        versions.sort(key=lambda p: (_version(p).valid_from or dt.date.min, _version(p).pk))
        for index, product in enumerate(versions):
            version = _version(product)
            valid_from = version.valid_from if index else None
            valid_to = version.valid_to if version.status == VersionStatus.RETIRED else None
            spec = replace(product.spec, valid_from=valid_from, valid_to=valid_to)
            dated[id(product)] = replace(product, spec=spec)
    return [dated.get(id(p), p) for p in products]


def _version(product: Product) -> MatterVersion | BundleVersion:
    version = product.matter_version or product.bundle_version
    assert version is not None
    return version


def _product(
    staff: dict[tuple[int, str], User],
    policies: dict[tuple[str, dt.date], FeePolicy],
    *,
    matter_version: MatterVersion | None,
    bundle_version: BundleVersion | None,
) -> Product | None:
    published = (matter_version or bundle_version).status == VersionStatus.PUBLISHED  # type: ignore[union-attr]
    try:
        source = source_of(matter_version=matter_version, bundle_version=bundle_version, published=published)
        region = (
            case_region_for(matter_version=matter_version, bundle_version=bundle_version)
            if published
            else _region_above(source.lead_department)
        )
    except DomainError:
        return None
    clerk = staff.get((region.pk, Role.CLERK))
    if clerk is None:
        return None
    stages: dict[int, list[MatterSpec]] = defaultdict(list)
    reviewers: dict[int, User] = {}
    heads: dict[int, User] = {}
    for version, stage in source.matters:
        department = version.matter.department_id
        reviewer = staff.get((department, Role.REVIEWER)) or staff.get((department, Role.DEPARTMENT_HEAD))
        if reviewer is None or version.required_signoffs > 1:
            return None
        reviewers[department] = reviewer
        if (head := staff.get((department, Role.DEPARTMENT_HEAD))) is not None:
            heads[department] = head
        stages[stage].append(MatterSpec(version.pk, version.promised_limit_days))
    lead = None
    if bundle_version is not None:
        deciding = source.deciding_department.pk
        lead = staff.get((deciding, Role.LEAD_COORDINATOR)) or staff.get((deciding, Role.DEPARTMENT_HEAD))
        if lead is None:
            return None
    charging = _charging(staff, source, bundle_version, policies)
    if charging is None:
        return None
    online = all(version.online_level != OnlineLevel.WINDOW for version, _ in source.matters)
    spec = ProductSpec(
        kind="bundle" if bundle_version is not None else "matter",
        version_id=(bundle_version or matter_version).pk,  # type: ignore[union-attr]
        stages=tuple(tuple(stages[number]) for number in sorted(stages)),
        online=online,
        weight=_weight(bundle_version, charging),
        bills=tuple(
            BillSpec(position, len(stage.departments), stage.waits_for_payment) for position, stage in charging.items()
        ),
    )
    return Product(spec, matter_version, bundle_version, source, region, clerk, reviewers, heads, lead, charging)


def _charging(
    staff: dict[tuple[int, str], User],
    source: Source,
    bundle_version: BundleVersion | None,
    policies: dict[tuple[str, dt.date], FeePolicy],
) -> dict[int, ChargingStage] | None:
    matters: dict[int, list[int]] = defaultdict(list)
    for version, stage in source.matters:
        matters[stage].append(version.matter_id)
    stages = {s.position: s for s in Stage.objects.filter(bundle_version=bundle_version)} if bundle_version else {}
    return charging_stages(staff, dict(matters), stages, policies)


def _weight(bundle_version: BundleVersion | None, charging: dict[int, ChargingStage]) -> float:
    if bundle_version is None:
        return 1.0
    return INVESTMENT_WEIGHT if charging else BUNDLE_WEIGHT


def _region_above(organisation: Organisation) -> Organisation:
    """A retired version's region (`case_region_for` reads published versions only): the department's region."""
    node: Organisation | None = organisation
    while node is not None and node.kind != Organisation.Kind.REGION:
        node = node.parent
    if node is None:
        raise DomainError("事项的实施部门未隶属于任何行政区划", code="department_without_region")
    return node
