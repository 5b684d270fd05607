"""The public pages, as an anonymous visitor sees them: catalogue list, matter guide, bundle page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.catalogue.models import OnlineLevel
from onewindow.catalogue.tests.factories import DepartmentFactory, MatterVersionFactory, make_published_bundle
from onewindow.catalogue.tests.test_selectors import Catalogue, build_catalogue


@pytest.fixture
def catalogue(db: None) -> Catalogue:
    return build_catalogue()


def page(client: Client, url: str, **params: str) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


LIST = reverse("catalogue:list")


def test_the_catalogue_shows_the_published_counts(client: Client, catalogue: Catalogue) -> None:
    html = page(client, LIST)
    assert "共 6 项" in html
    assert "全程网办 3 项" in html
    assert "网上受理 2 项" in html
    assert "建筑起重机械使用登记" not in html  # a draft
    assert "建设工程施工图审查备案" not in html  # retired


def test_searching_shows_the_matching_matters_only(client: Client, catalogue: Catalogue) -> None:
    html = page(client, LIST, q="施工")
    assert "建筑工程施工许可证核发" in html
    assert "食品经营许可" not in html
    assert "“施工”找到 1 项" in html


def test_filters_and_search_combine_without_javascript(client: Client, catalogue: Catalogue) -> None:
    html = page(client, LIST, q="核发", online_level=OnlineLevel.ONLINE_INTAKE)
    assert "城镇污水排入排水管网许可证核发" in html
    assert "建筑工程施工许可证核发" not in html
    html = page(client, LIST, department=catalogue.market.code)
    assert "企业设立登记" in html and "食品经营许可" in html
    assert "户口迁移登记" not in html


def test_htmx_requests_get_only_the_result_list(client: Client, catalogue: Catalogue) -> None:
    response = client.get(LIST, {"q": "排水"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "城镇污水排入排水管网许可证核发" in html
    assert "<html" not in html
    assert "共 6 项" not in html


def test_an_unknown_filter_value_is_ignored_with_a_message(client: Client, catalogue: Catalogue) -> None:
    html = page(client, LIST, online_level="everything", department="NOPE")
    assert "该筛选条件无效，已忽略" in html
    assert "符合条件的事项 6 项" in html


def test_odd_input_never_breaks_the_page(client: Client, catalogue: Catalogue) -> None:
    html = page(client, LIST, q="施" * 300, page="abc")
    assert "符合条件的事项 6 项" in html  # the over-long query is refused with a message, not a 500
    assert page(client, LIST, q='"施工" OR *')


def test_results_are_paginated(client: Client, db: None) -> None:
    department = DepartmentFactory(name="测试局")
    for index in range(25):
        MatterVersionFactory(matter__department=department, name=f"测试许可{index:02d}", published=True)
    first = page(client, LIST, q="测试")
    assert "第 1 / 2 页" in first
    assert "q=%E6%B5%8B%E8%AF%95&amp;page=2" in first
    second = page(client, LIST, q="测试", page="2")
    assert second.count('class="list-group-item list-group-item-action"') == 5
    assert page(client, LIST, page="999").count("第 2 / 2 页") == 1  # out of range: the last page


def test_bundles_are_listed_on_the_catalogue(client: Client, catalogue: Catalogue) -> None:
    bundle = make_published_bundle(versions=[catalogue.construction, catalogue.drainage], name="工程建设一件事")
    html = page(client, LIST)
    assert "工程建设一件事" in html
    assert reverse("catalogue:bundle", args=[bundle.bundle.code]) in html


def test_the_catalogue_page_costs_a_fixed_number_of_queries(
    client: Client, catalogue: Catalogue, django_assert_max_num_queries: pytest.FixtureRequest
) -> None:
    make_published_bundle(versions=[catalogue.construction, catalogue.drainage])
    for index in range(20):
        MatterVersionFactory(name=f"施工事项{index}", published=True)
    with django_assert_max_num_queries(7):  # type: ignore[operator]  # with the search's record
        html = page(client, LIST, q="施工")
    assert "“施工”找到 21 项" in html


def test_the_guide_shows_limits_materials_and_form_fields(client: Client, catalogue: Catalogue) -> None:
    html = page(client, reverse("catalogue:matter", args=[catalogue.construction.matter.code]))
    assert "建筑工程施工许可证核发" in html
    assert "住房和城乡建设局" in html
    assert "15 个工作日" in html and "3 个工作日" in html
    assert "营业执照" in html and "用地批准手续" in html and "施工安全措施" in html
    assert "可容缺" in html and "非必要" in html and "复印件" in html
    assert "《中华人民共和国城乡规划法》第四十条" in html
    assert "项目名称" in html  # the form field the application will ask for
    assert "全程网办" in html and "不收费" in html
    assert "零跑动" in html


def test_an_on_the_spot_matter_reads_as_such(client: Client, catalogue: Catalogue) -> None:
    html = page(client, reverse("catalogue:matter", args=[catalogue.company.matter.code]))
    assert "即办件" in html
    assert "可告知承诺" in html


@pytest.mark.parametrize("which", ["draft_only", "retired_only"])
def test_unpublished_matters_have_no_guide(client: Client, catalogue: Catalogue, which: str) -> None:
    response = client.get(reverse("catalogue:matter", args=[getattr(catalogue, which).matter.code]))
    assert response.status_code == 404


def test_the_bundle_page_shows_stages_leads_the_unified_form_and_each_material_once(
    client: Client, catalogue: Catalogue
) -> None:
    bundle = make_published_bundle(versions=[catalogue.construction, catalogue.drainage], name="工程建设一件事")
    html = page(client, reverse("catalogue:bundle", args=[bundle.bundle.code]))
    assert "第1阶段" in html and "第2阶段" in html
    assert "住房和城乡建设局" in html and "水务局" in html
    assert "建筑工程施工许可证核发" in html and "城镇污水排入排水管网许可证核发" in html
    materials = html.split('id="materials"', 1)[1]
    assert materials.count('class="material-name">营业执照<') == 1
    assert "项目名称" in html


def test_an_unknown_bundle_is_not_found(client: Client, db: None) -> None:
    assert client.get(reverse("catalogue:bundle", args=["YJS-NOPE"])).status_code == 404
