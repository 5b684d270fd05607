"""The public JSON API at /api/catalogue/: lists, guides, bundles, error codes in Chinese."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from onewindow.catalogue.tests.factories import MatterVersionFactory, make_published_bundle
from onewindow.catalogue.tests.test_selectors import Catalogue, build_catalogue

API = "/api/catalogue"


@pytest.fixture
def catalogue(db: None) -> Catalogue:
    return build_catalogue()


def get(client: Client, path: str, status: int = 200, **params: Any) -> Any:
    response = client.get(f"{API}{path}", params)
    assert response.status_code == status, response.content.decode()
    return response.json()


def test_list_gives_counts_and_matters_by_code(client: Client, catalogue: Catalogue) -> None:
    body = get(client, "/matters")
    assert body["counts"] == {"total": 6, "fully_online": 3, "online_intake": 2}
    assert body["count"] == 6
    codes = [item["code"] for item in body["items"]]
    assert codes == sorted(codes)
    assert catalogue.draft_only.matter.code not in codes


def test_search_and_filters_through_the_api(client: Client, catalogue: Catalogue) -> None:
    body = get(client, "/matters", q="施工")
    assert [item["name"] for item in body["items"]] == ["建筑工程施工许可证核发"]
    assert body["count"] == 1
    assert body["counts"]["total"] == 6  # the catalogue's counts do not depend on the search
    body = get(client, "/matters", q="核发", online_level="intake")
    assert [item["name"] for item in body["items"]] == ["城镇污水排入排水管网许可证核发"]
    body = get(client, "/matters", department=catalogue.market.code, category="行政许可")
    assert {item["name"] for item in body["items"]} == {"企业设立登记", "食品经营许可"}


def test_items_describe_the_matter(client: Client, catalogue: Catalogue) -> None:
    (item,) = get(client, "/matters", q="企业设立登记")["items"]
    assert item["department"] == {"code": catalogue.market.code, "name": catalogue.market.display_name}
    assert item["is_on_the_spot"] is True
    assert item["online_level"] == "full" and item["online_level_label"] == "全程网办"
    assert item["commitment_allowed"] is True


def test_pages_follow_limit_and_offset(client: Client, catalogue: Catalogue) -> None:
    first = get(client, "/matters", limit=4)
    rest = get(client, "/matters", limit=4, offset=4)
    assert len(first["items"]) == 4 and len(rest["items"]) == 2
    assert rest["count"] == 6
    assert not {i["code"] for i in first["items"]} & {i["code"] for i in rest["items"]}


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"limit": 101}, "query.limit", "每页条数 limit应在 1 至 100 之间"),
        ({"limit": 0}, "query.limit", "每页条数 limit应在 1 至 100 之间"),
        ({"limit": "ten"}, "query.limit", "每页条数 limit必须是整数"),
        ({"limit": "2.5"}, "query.limit", "每页条数 limit必须是整数"),
        ({"offset": -1}, "query.offset", "偏移量 offset应在 0 至 1000000 之间"),
        ({"online_level": "all"}, "query.online_level", "网办深度 online_level取值无效，可选：full、intake、window"),
        ({"category": "许可"}, "query.category", "事项类型 category取值无效"),
        ({"q": "施" * 101}, "query.q", "关键词不能超过 100 个字"),
    ],
)
def test_bad_parameters_are_refused_in_chinese(
    client: Client, db: None, params: dict[str, Any], field: str, message: str
) -> None:
    body = get(client, "/matters", status=422, **params)
    assert body["code"] == "invalid_input"
    assert body["message"] == "输入有误，请检查后重试"
    (error,) = body["errors"]
    assert error["field"] == field
    assert error["message"].startswith(message)


def test_a_matter_guide_by_code(client: Client, catalogue: Catalogue) -> None:
    body = get(client, f"/matters/{catalogue.construction.matter.code}")
    assert body["name"] == "建筑工程施工许可证核发"
    assert body["statutory_limit_days"] == 15 and body["promised_limit_days"] == 3
    assert [m["key"] for m in body["materials"]] == ["business_licence", "land_certificate", "safety_plan"]
    licence, land, plan = body["materials"]
    assert licence["certificate_type"] == "营业执照"
    assert land["deferrable"] is True
    assert plan["required"] is False and plan["form_label"] == "复印件"
    assert "project_name" in body["form_schema"]["properties"]


@pytest.mark.parametrize("which", ["draft_only", "retired_only", None])
def test_unknown_or_unpublished_matters_are_not_found(client: Client, catalogue: Catalogue, which: str | None) -> None:
    code = getattr(catalogue, which).matter.code if which else "330100-NOPE"
    body = get(client, f"/matters/{code}", status=404)
    assert body["code"] == "matter_not_found"
    assert body["message"] == "未找到该事项"


def test_bundles_list_and_detail(client: Client, catalogue: Catalogue) -> None:
    bundle = make_published_bundle(versions=[catalogue.construction, catalogue.drainage], name="工程建设一件事")
    listed = get(client, "/bundles")
    assert listed["count"] == 1
    assert listed["items"] == [
        {
            "code": bundle.bundle.code,
            "name": "工程建设一件事",
            "version": 1,
            "version_id": bundle.pk,
            "description": "",
            "stage_count": 2,
        }
    ]
    body = get(client, f"/bundles/{bundle.bundle.code}")
    assert [s["lead_department"]["code"] for s in body["stages"]] == [catalogue.housing.code, catalogue.water.code]
    assert [m["name"] for s in body["stages"] for m in s["matters"]] == [
        "建筑工程施工许可证核发",
        "城镇污水排入排水管网许可证核发",
    ]
    keys = [m["key"] for m in body["materials"]]
    assert keys.count("business_licence") == 1
    assert "project_name" in body["unified_form_schema"]["properties"]


def test_an_unknown_bundle_is_not_found(client: Client, db: None) -> None:
    body = get(client, "/bundles/YJS-NOPE", status=404)
    assert body == {"code": "bundle_not_found", "message": "未找到该一件事主题", "errors": []}


def test_the_list_costs_a_fixed_number_of_queries(
    client: Client, catalogue: Catalogue, django_assert_max_num_queries: pytest.FixtureRequest
) -> None:
    for index in range(30):
        MatterVersionFactory(name=f"施工事项{index}", published=True)
    # The synonym table, the count, the page, the catalogue's counts.
    with django_assert_max_num_queries(5):  # type: ignore[operator]  # with the search's record
        body = get(client, "/matters", q="施工", limit=100)
    assert body["count"] == 31
    # Four characters or more: PostgreSQL first checks whether anything matched exactly (typo fallback).
    with django_assert_max_num_queries(6):  # type: ignore[operator]  # with the search's record
        body = get(client, "/matters", q="施工事项", limit=100)
    assert body["count"] == 30


def test_the_endpoints_are_documented(client: Client, db: None) -> None:
    schema = client.get("/api/openapi.json").json()
    for path in ("/matters", "/matters/{code}", "/bundles", "/bundles/{code}"):
        assert f"/api/catalogue{path}" in schema["paths"]
    parameters = schema["paths"]["/api/catalogue/matters"]["get"]["parameters"]
    limit = next(p for p in parameters if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 100
