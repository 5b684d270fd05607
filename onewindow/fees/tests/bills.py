"""A world with a bill: a published bundle whose charging stage carries Weihai's seven fees (and the demo's
policy set), its form asking for the fee materials; cases submitted and accepted through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from onewindow.cases.models import Case
from onewindow.cases.tests.factories import accepted_case, form_values, published_bundle, region
from onewindow.catalogue.domain import FieldKind, FieldSpec, fields_to_schema, schema_to_fields
from onewindow.catalogue.models import BundleVersion, Stage
from onewindow.demo.data.fees import SERVICE_FEES, WEIHAI_FEES
from onewindow.demo.fees import fees_catalogue_load
from onewindow.fees.models import Bill, StageFeeRule
from onewindow.orgs.models import Organisation
from onewindow.orgs.tests.factories import DepartmentFactory

FEE_FIELDS = [
    FieldSpec(key="air_defence_area_unbuilt", label="应建未建防空地下室面积", kind=FieldKind.NUMBER, minimum=0),
    FieldSpec(key="contract_value", label="施工合同价款（元）", kind=FieldKind.NUMBER, minimum=0),
    FieldSpec(key="enterprise_scale", label="企业规模", kind=FieldKind.TEXT, maximum=20),
    FieldSpec(key="industry", label="所属行业", kind=FieldKind.TEXT, maximum=60),
]
# 12,000 m², 300 m² of civil air defence not built, a contract of 36 million yuan
FEE_FORM = {"floor_area": 12000, "air_defence_area_unbuilt": 300, "contract_value": 36_000_000, "industry": "制造业"}


@dataclass
class BillWorld:
    bundle_version: BundleVersion
    stage: Stage  # the charging stage (Weihai's seven fees)
    departments: dict[str, Organisation]  # the collecting departments, by code


def bill_world(*, position: int = 1, waits_for_payment: bool = False, category: str = "industrial") -> BillWorld:
    """Weihai's seven fees on stage `position` of a fresh bundle (stage 1: acceptance opens the bill)."""
    home = region()
    codes = sorted({spec.department for spec in (*WEIHAI_FEES, *SERVICE_FEES)})
    departments = {code: DepartmentFactory(code=code, parent=home) for code in codes}
    version = published_bundle(in_region=home)
    stage = version.stages.get(position=position)
    other = version.stages.exclude(pk=stage.pk).first()
    assert other is not None
    fees_catalogue_load(weihai_stage=stage, service_stage=other)
    StageFeeRule.objects.create(stage=stage, project_category=category, waits_for_payment=waits_for_payment)
    fields = schema_to_fields(version.unified_form_schema) + FEE_FIELDS
    version.unified_form_schema = fields_to_schema(fields)
    version.save(update_fields=["unified_form_schema"])
    return BillWorld(bundle_version=version, stage=stage, departments=departments)


def case_with_bill(world: BillWorld, **form: Any) -> tuple[Case, Bill]:
    """A case of the world's bundle accepted at once: stage 1 is open, and with it the bill if it charges."""
    case = accepted_case(bundle_version=world.bundle_version, form_data=form_values(**{**FEE_FORM, **form}))
    return case, Bill.objects.get(case=case)
