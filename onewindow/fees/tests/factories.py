"""A fee world: the demo's departments (by code), a published bundle with the two fee-charging stages, and the
demo's items and policies loaded through the fees services (onewindow.demo.fees)."""

from __future__ import annotations

from dataclasses import dataclass

from onewindow.catalogue.models import Stage
from onewindow.catalogue.tests.factories import BundleVersionFactory, StageFactory
from onewindow.demo.data.fees import SERVICE_FEES, WEIHAI_FEES
from onewindow.demo.fees import fees_catalogue_load
from onewindow.orgs.models import Organisation
from onewindow.orgs.tests.factories import DepartmentFactory


@dataclass
class FeeWorld:
    weihai_stage: Stage
    service_stage: Stage
    departments: dict[str, Organisation]


def fee_world() -> FeeWorld:
    codes = sorted({spec.department for spec in (*WEIHAI_FEES, *SERVICE_FEES)})
    departments = {code: DepartmentFactory(code=code) for code in codes}
    version = BundleVersionFactory(published=True, name="工业项目施工许可阶段联审联批")
    lead = departments["9901-ZJ"]
    service = StageFactory(bundle_version=version, position=2, name="工程建设许可", lead_department=lead)
    weihai = StageFactory(bundle_version=version, position=3, name="施工许可", lead_department=lead)
    fees_catalogue_load(weihai_stage=weihai, service_stage=service)
    return FeeWorld(weihai_stage=weihai, service_stage=service, departments=departments)
