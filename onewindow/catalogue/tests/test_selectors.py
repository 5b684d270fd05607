"""Selectors: only published versions are public, counts, lookups by code, bundles, query counts.

`build_catalogue()` is the small catalogue the read side's tests share (search, pages, API).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from onewindow.catalogue import selectors, selectors_search
from onewindow.catalogue.models import Category, MaterialForm, MatterVersion, OnlineLevel
from onewindow.catalogue.tests.factories import (
    DepartmentFactory,
    MaterialFactory,
    MatterFactory,
    MatterVersionFactory,
    make_published_bundle,
)
from onewindow.orgs.models import Organisation


@dataclass
class Catalogue:
    housing: Organisation
    water: Organisation
    market: Organisation
    police: Organisation
    construction: MatterVersion  # 建筑工程施工许可证核发, fully online
    drainage: MatterVersion  # 城镇污水排入排水管网许可证核发, online intake
    company: MatterVersion  # 企业设立登记, 即办件, fully online
    food: MatterVersion  # 食品经营许可, online intake
    residence: MatterVersion  # 户口迁移登记, window only
    renamed: MatterVersion  # published 竣工验收备案; its retired version was named ...施工...
    draft_only: MatterVersion  # 建筑起重机械使用登记: never published
    retired_only: MatterVersion  # 建设工程施工图审查备案: retired, nothing published


def _published(name: str, department: Organisation, **kwargs: object) -> MatterVersion:
    matter = MatterFactory(department=department)
    version: MatterVersion = MatterVersionFactory(matter=matter, name=name, published=True, **kwargs)
    return version


def build_catalogue() -> Catalogue:
    housing = DepartmentFactory(name="住房和城乡建设局")
    water = DepartmentFactory(name="水务局")
    market = DepartmentFactory(name="市场监督管理局")
    police = DepartmentFactory(name="公安局")
    construction = _published("建筑工程施工许可证核发", housing, statutory_limit_days=15, promised_limit_days=3)
    MaterialFactory(version=construction, key="business_licence", name="营业执照", certificate_type="营业执照")
    MaterialFactory(version=construction, key="land_certificate", name="用地批准手续", deferrable=True)
    MaterialFactory(version=construction, key="safety_plan", name="施工安全措施", required=False, form="copy")
    drainage = _published("城镇污水排入排水管网许可证核发", water, online_level=OnlineLevel.ONLINE_INTAKE)
    MaterialFactory(version=drainage, key="business_licence", name="营业执照")
    company = _published("企业设立登记", market, promised_limit_days=0, commitment_allowed=True)
    food = _published("食品经营许可", market, online_level=OnlineLevel.ONLINE_INTAKE)
    residence = _published(
        "户口迁移登记", police, category=Category.PUBLIC_SERVICE, online_level=OnlineLevel.WINDOW, max_visits=1
    )
    renamed_matter = MatterFactory(department=housing)
    MatterVersionFactory(matter=renamed_matter, name="房屋建筑施工竣工备案", retired=True)
    renamed = MatterVersionFactory(matter=renamed_matter, name="房屋市政工程竣工验收备案", published=True)
    draft_only = MatterVersionFactory(matter=MatterFactory(department=housing), name="建筑起重机械使用登记")
    retired_only = MatterVersionFactory(
        matter=MatterFactory(department=housing), name="建设工程施工图审查备案", retired=True
    )
    return Catalogue(
        housing, water, market, police, construction, drainage, company, food, residence, renamed, draft_only,
        retired_only,
    )  # fmt: skip


@pytest.fixture
def catalogue(db: None) -> Catalogue:
    return build_catalogue()


def test_published_matters_never_include_drafts_or_retired_versions(catalogue: Catalogue) -> None:
    names = set(selectors.published_matters().values_list("name", flat=True))
    assert names == {
        "建筑工程施工许可证核发",
        "城镇污水排入排水管网许可证核发",
        "企业设立登记",
        "食品经营许可",
        "户口迁移登记",
        "房屋市政工程竣工验收备案",
    }


def test_counts_cover_the_currently_published_versions(catalogue: Catalogue) -> None:
    counts = selectors.catalogue_counts()
    # construction, company and the renamed matter (factory default) are fully online.
    assert counts == selectors.CatalogueCounts(total=6, fully_online=3, online_intake=2)


def test_counts_follow_a_newly_published_matter(catalogue: Catalogue) -> None:
    _published("医疗机构执业登记", catalogue.police, online_level=OnlineLevel.ONLINE_INTAKE)
    assert selectors.catalogue_counts().online_intake == 3


def test_filters_narrow_and_combine(catalogue: Catalogue) -> None:
    by_market = selectors_search.matter_search("", selectors.MatterFilters(department=catalogue.market.code))
    assert {v.name for v in by_market} == {"企业设立登记", "食品经营许可"}
    combined = selectors.MatterFilters(department=catalogue.market.code, online_level=OnlineLevel.ONLINE_INTAKE)
    assert [v.name for v in selectors_search.matter_search("", combined)] == ["食品经营许可"]
    services = selectors_search.matter_search("", selectors.MatterFilters(category=Category.PUBLIC_SERVICE))
    assert [v.name for v in services] == ["户口迁移登记"]


def test_matter_get_published_returns_the_guide_with_materials_in_order(catalogue: Catalogue) -> None:
    version = selectors.matter_get_published(catalogue.construction.matter.code)
    assert version.pk == catalogue.construction.pk
    assert [m.name for m in version.materials.all()] == ["营业执照", "用地批准手续", "施工安全措施"]


@pytest.mark.parametrize("which", ["draft_only", "retired_only", "unknown"])
def test_matter_get_published_hides_what_is_not_published(catalogue: Catalogue, which: str) -> None:
    code = "NO-SUCH-CODE" if which == "unknown" else getattr(catalogue, which).matter.code
    with pytest.raises(selectors.MatterNotFound) as raised:
        selectors.matter_get_published(code)
    assert raised.value.code == "matter_not_found"
    assert raised.value.message == "未找到该事项"
    assert raised.value.status == 404


def test_a_renamed_matter_shows_its_published_version_only(catalogue: Catalogue) -> None:
    version = selectors.matter_get_published(catalogue.renamed.matter.code)
    assert version.name == "房屋市政工程竣工验收备案"


def test_bundle_materials_list_a_shared_material_once(catalogue: Catalogue) -> None:
    bundle = make_published_bundle(versions=[catalogue.construction, catalogue.drainage], name="工程建设一件事")
    version = selectors.bundle_get_published(bundle.bundle.code)
    materials = selectors.bundle_materials(version)
    assert [m.key for m in materials] == ["business_licence", "land_certificate", "safety_plan"]
    shared = materials[0]
    assert shared.used_by == ("建筑工程施工许可证核发", "城镇污水排入排水管网许可证核发")
    assert [s.lead_department for s in version.stages.all()] == [catalogue.housing, catalogue.water]


def test_unpublished_bundles_are_not_found(catalogue: Catalogue) -> None:
    bundle = make_published_bundle(versions=[catalogue.food])
    bundle.status = "retired"
    bundle.save(update_fields=["status"])
    assert not selectors.published_bundles().exists()
    with pytest.raises(selectors.BundleNotFound) as raised:
        selectors.bundle_get_published(bundle.bundle.code)
    assert raised.value.code == "bundle_not_found"


def test_material_form_labels_are_the_models_choices() -> None:
    # The guide shows 原件 / 复印件 / 电子: the templates rely on these three values.
    assert set(MaterialForm.values) == {"original", "copy", "electronic"}


def test_listing_a_page_of_matters_costs_a_fixed_number_of_queries(
    catalogue: Catalogue, django_assert_max_num_queries: pytest.FixtureRequest
) -> None:
    for index in range(15):
        _published(f"测试事项施工{index}", DepartmentFactory())
    with django_assert_max_num_queries(2):  # type: ignore[operator]  # the synonym table, then the matters
        rows = [
            (v.name, v.matter.code, v.matter.department.display_name) for v in selectors_search.matter_search("施工")
        ]
    assert len(rows) == 16


def test_loading_a_bundle_costs_a_fixed_number_of_queries(
    catalogue: Catalogue, django_assert_max_num_queries: pytest.FixtureRequest
) -> None:
    versions = [catalogue.construction, catalogue.drainage, catalogue.company, catalogue.food]
    bundle = make_published_bundle(versions=versions, stages=4)
    with django_assert_max_num_queries(7):  # type: ignore[operator]
        version = selectors.bundle_get_published(bundle.bundle.code)
        selectors.bundle_materials(version)
        names = [(s.lead_department.display_name, [i.matter.department.name for i in s.stage_matters.all()])
                 for s in version.stages.all()]  # fmt: skip
    assert len(names) == 4
