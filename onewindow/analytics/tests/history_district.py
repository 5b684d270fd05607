"""A district ready for written history (`history_write`): a bundle marked as the report's 企业开办 (its form
asks for the enterprise's 所属行业, as the demo's does) and three single matters (limits 0, 5 and 15 working days),
each department with a reviewer and a head, the bundle's last stage with a coordinator, the district with a window
clerk."""

from __future__ import annotations

from collections.abc import Sequence

from onewindow.analytics.report.selectors import BUSINESS_START_BUNDLE
from onewindow.cases.tests.factories import (
    clerk_for,
    coordinator_for,
    department,
    head_for,
    published_bundle,
    published_matter,
    region,
    reviewer_for,
)
from onewindow.catalogue.domain import FieldKind, FieldSpec, fields_to_schema, schema_to_fields
from onewindow.catalogue.models import Bundle, BundleVersion, MatterVersion
from onewindow.orgs.models import Organisation, User

INDUSTRIES = ("制造业", "建筑业", "软件和信息技术服务业", "批发和零售业", "房地产业", "其他")


def history_district() -> tuple[Organisation, BundleVersion, list[MatterVersion]]:
    """The district, its bundle and its three matters."""
    home = region()
    bundle = published_bundle(in_region=home)
    matters = [published_matter(department=department(home), promised_limit_days=days) for days in (0, 5, 15)]
    staff_district(home, bundle, matters)
    Bundle.objects.filter(pk=bundle.bundle_id).update(code=BUSINESS_START_BUNDLE)
    industry = FieldSpec("industry", "所属行业", FieldKind.CHOICE, options=INDUSTRIES)
    bundle.unified_form_schema = fields_to_schema([*schema_to_fields(bundle.unified_form_schema), industry])
    bundle.save(update_fields=["unified_form_schema"])
    return home, bundle, matters


def staff_district(home: Organisation, bundle: BundleVersion, matters: Sequence[MatterVersion]) -> User:
    """Everyone the history needs to act: a reviewer and a head in each department of the bundle and the
    matters, a coordinator for the bundle's last stage, a window clerk in the district (returned)."""
    departments = {sm.matter.department for stage in bundle.stages.all() for sm in stage.stage_matters.all()}
    for organisation in departments | {m.matter.department for m in matters}:
        reviewer_for(organisation)
        head_for(organisation)
    coordinator_for(bundle.stages.order_by("-position").first().lead_department)  # type: ignore[union-attr]
    return clerk_for(home)
