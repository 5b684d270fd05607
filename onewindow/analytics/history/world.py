"""What the history is written against: the published matters and bundles (as the cases app reads them,
`cases.sources`) and the staff who act on them (a clerk of the region, a reviewer and head of each
department, the lead of a bundle's deciding department), read once before writing.

A matter or bundle is left out of the history when nobody could act on it (no clerk in its region, no
reviewer in a department), when a review needs several sign-offs (会签: not planned yet), or when a stage
charges fees (the fees app opens a bill when such a stage opens and holds the stage until it is paid:
not written by this increment).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from onewindow.analytics.history.plan import MatterSpec, ProductSpec
from onewindow.cases.services.intake.submission import case_region_for
from onewindow.cases.sources import Source, source_of
from onewindow.catalogue.models import BundleVersion, MatterVersion, OnlineLevel, VersionStatus
from onewindow.errors import DomainError
from onewindow.fees.models import StageFeeRule
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Membership, Organisation, User

# A bundle (一件事) is applied for about as often as four single matters together.
BUNDLE_WEIGHT = 4.0


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


def _staff() -> dict[tuple[int, str], User]:
    """The first member (by id) of each organisation and role."""
    found: dict[tuple[int, str], User] = {}
    rows = Membership.objects.select_related("user").filter(user__is_active=True).order_by("pk")
    for membership in rows:
        found.setdefault((membership.organisation_id, membership.role), membership.user)
    return found


def products_load() -> list[Product]:
    staff = _staff()
    charged = set(StageFeeRule.objects.values_list("stage__bundle_version_id", flat=True))
    products: list[Product] = []
    matters = MatterVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related("matter").order_by("pk")
    for version in matters:
        product = _product(staff, matter_version=version, bundle_version=None)
        if product is not None:
            products.append(product)
    bundles = BundleVersion.objects.filter(status=VersionStatus.PUBLISHED).order_by("pk")
    for bundle in bundles:
        if bundle.pk in charged:
            continue
        product = _product(staff, matter_version=None, bundle_version=bundle)
        if product is not None:
            products.append(product)
    return products


def _product(
    staff: dict[tuple[int, str], User], *, matter_version: MatterVersion | None, bundle_version: BundleVersion | None
) -> Product | None:
    try:
        source = source_of(matter_version=matter_version, bundle_version=bundle_version)
        region = case_region_for(matter_version=matter_version, bundle_version=bundle_version)
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
    online = all(version.online_level != OnlineLevel.WINDOW for version, _ in source.matters)
    spec = ProductSpec(
        kind="bundle" if bundle_version is not None else "matter",
        version_id=(bundle_version or matter_version).pk,  # type: ignore[union-attr]
        stages=tuple(tuple(stages[number]) for number in sorted(stages)),
        online=online,
        weight=BUNDLE_WEIGHT if bundle_version is not None else 1.0,
    )
    return Product(spec, matter_version, bundle_version, source, region, clerk, reviewers, heads, lead)
