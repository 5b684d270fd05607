"""Bundles (一件事) are searched like matters: the same words and synonyms, on SQLite and PostgreSQL,
on the results page (bundles named for the query above the matters) and through the API."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.catalogue import selectors, selectors_search, services
from onewindow.catalogue.models import BundleVersion, VersionStatus
from onewindow.catalogue.tests.factories import MatterVersionFactory, make_published_bundle, make_synonyms
from onewindow.catalogue.tests.test_selectors import Catalogue, build_catalogue
from onewindow.demo.data.synonyms import SYNONYM_GROUPS

LIST = reverse("catalogue:list")


@dataclass
class Bundles:
    catalogue: Catalogue
    business: BundleVersion  # 企业开办一件事: 企业设立登记 + 食品经营许可
    construction: BundleVersion  # 工程建设项目审批一件事: 建筑工程施工许可证核发 + the drainage permit


@pytest.fixture
def bundles(db: None) -> Bundles:
    catalogue = build_catalogue()
    business = make_published_bundle(
        versions=[catalogue.company, catalogue.food], stages=1, name="企业开办一件事", description="多个事项一次办"
    )
    construction = make_published_bundle(
        versions=[catalogue.construction, catalogue.drainage], name="工程建设项目审批一件事"
    )
    return Bundles(catalogue, business, construction)


@pytest.fixture
def demo_synonyms(db: None) -> None:
    for words in SYNONYM_GROUPS:
        make_synonyms(*words)


def bundle_names(query: str) -> list[str]:
    return [version.name for version in selectors_search.bundle_search(query)]


def test_a_citizens_words_find_the_bundle_through_the_synonym_table(bundles: Bundles) -> None:
    assert bundle_names("开公司") == []
    make_synonyms("开公司", "企业开办", "设立公司")
    assert bundle_names("开公司") == ["企业开办一件事"]
    assert bundle_names("我要开公司") == ["企业开办一件事"]


def test_a_bundle_is_found_by_its_name_description_stages_and_matters(bundles: Bundles) -> None:
    assert bundle_names("工程建设") == ["工程建设项目审批一件事"]
    assert bundle_names("一次办") == ["企业开办一件事"]  # its description
    assert bundle_names("第2阶段") == ["工程建设项目审批一件事"]  # a stage
    assert bundle_names("食品经营") == ["企业开办一件事"]  # a matter it holds
    assert bundle_names("排水") == ["工程建设项目审批一件事"]


def test_bundles_named_for_the_query_come_before_those_holding_a_matching_matter(bundles: Bundles) -> None:
    make_published_bundle(versions=[bundles.catalogue.residence], name="许可证照一件事")
    found = bundle_names("许可")
    assert found[0] == "许可证照一件事"
    assert set(found[1:]) == {"工程建设项目审批一件事", "企业开办一件事"}  # then shorter names first


def test_drafts_and_retired_bundle_versions_are_never_found(bundles: Bundles) -> None:
    BundleVersion.objects.filter(pk=bundles.construction.pk).update(status=VersionStatus.RETIRED)
    make_published_bundle(versions=[bundles.catalogue.residence], name="户籍一件事").bundle.versions.update(
        status=VersionStatus.DRAFT
    )
    assert bundle_names("工程建设") == []
    assert bundle_names("户籍") == []
    assert bundle_names("") == ["企业开办一件事"]


def test_publishing_a_bundle_indexes_the_matters_it_pins(db: None) -> None:
    catalogue = build_catalogue()
    stages = [
        services.StageSpec(name="登记", lead_department=catalogue.market, matters=(catalogue.company.matter,)),
        services.StageSpec(name="许可", lead_department=catalogue.market, matters=(catalogue.food.matter,)),
    ]
    draft = services.bundle_create(actor=None, code="YJS-MARKET", name="开餐馆一件事", stages=stages)
    assert bundle_names("食品") == []  # a draft
    services.bundle_version_publish(actor=None, version=draft)
    assert bundle_names("食品") == ["开餐馆一件事"]
    assert bundle_names("开餐馆 登记") == ["开餐馆一件事"]


@pytest.mark.usefixtures("demo_synonyms")
@pytest.mark.parametrize(
    ("query", "first_bundle", "first_matter"),
    [
        ("开公司", "企业开办一件事", "企业设立登记"),
        ("办营业执照", None, "企业设立登记"),
        ("施工许可", None, "建筑工程施工许可证核发"),
    ],
)
def test_the_demos_synonyms_lead_citizens_words_to_the_catalogues(
    bundles: Bundles, query: str, first_bundle: str | None, first_matter: str
) -> None:
    MatterVersionFactory(name="涉路施工许可", published=True)  # shorter, but holds fewer of the words asked for
    results = selectors_search.catalogue_search(query)
    assert [b.name for b in results.bundles_first][:1] == ([first_bundle] if first_bundle else [])
    assert results.matters[0].name == first_matter


def test_bundles_holding_a_matching_matter_are_offered_after_the_matters(bundles: Bundles, demo_synonyms: None) -> None:
    results = selectors_search.catalogue_search("营业执照")
    assert results.bundles_first == []
    assert [b.name for b in results.bundles_also] == ["企业开办一件事"]


def test_a_filter_shows_matters_only(bundles: Bundles, demo_synonyms: None) -> None:
    filters = selectors.MatterFilters(department=bundles.catalogue.market.code)
    results = selectors_search.catalogue_search("开公司", filters)
    assert (results.bundles_first, results.bundles_also) == ([], [])
    assert [v.name for v in results.matters] == ["企业设立登记"]


# --- the results page and the API -------------------------------------------------------------------


def test_the_results_page_shows_the_bundle_above_the_matters(
    client: Client, bundles: Bundles, demo_synonyms: None
) -> None:
    html = client.get(LIST, {"q": "开公司"}).content.decode()
    first = html.index('id="bundles-first"')
    assert first < html.index("企业开办一件事") < html.index('id="catalogue-found"') < html.index("企业设立登记")
    assert reverse("catalogue:bundle", args=[bundles.business.bundle.code]) in html
    assert 'id="catalogue-bundles"' not in html  # the list of every bundle is for browsing without a query


def test_the_results_page_offers_bundles_holding_a_match_after_the_matters(
    client: Client, bundles: Bundles, demo_synonyms: None
) -> None:
    html = client.get(LIST, {"q": "营业执照"}, headers={"HX-Request": "true"}).content.decode()
    assert 'id="bundles-first"' not in html
    assert html.index("企业设立登记") < html.index('id="bundles-also"') < html.index("企业开办一件事")


def test_without_a_query_every_bundle_is_listed_under_the_matters(client: Client, bundles: Bundles) -> None:
    html = client.get(LIST).content.decode()
    listed = html[html.index('id="catalogue-bundles"') :]
    assert "企业开办一件事" in listed and "工程建设项目审批一件事" in listed


def test_the_results_page_costs_a_fixed_number_of_queries(
    client: Client, bundles: Bundles, demo_synonyms: None, django_assert_max_num_queries: pytest.FixtureRequest
) -> None:
    for index in range(20):
        MatterVersionFactory(name=f"企业开办事项{index}", published=True)
        make_published_bundle(name=f"企业开办一件事{index}")
    # Departments, the synonym table, the count and the page of matters, the bundles, the catalogue's counts,
    # the search's record (listeners of `services.searched`).
    with django_assert_max_num_queries(7):  # type: ignore[operator]
        html = client.get(LIST, {"q": "开公司"}).content.decode()
    assert html.count('class="list-group-item list-group-item-action bundle-result"') == 5


def test_the_bundle_api_searches_with_the_same_words(client: Client, bundles: Bundles, demo_synonyms: None) -> None:
    body = client.get("/api/catalogue/bundles", {"q": "开公司"}).json()
    assert body["count"] == 1
    assert [item["name"] for item in body["items"]] == ["企业开办一件事"]
    assert body["items"][0]["stage_count"] == 1
    every = client.get("/api/catalogue/bundles").json()
    assert [item["name"] for item in every["items"]] == ["企业开办一件事", "工程建设项目审批一件事"]
    matters = client.get("/api/catalogue/matters", {"q": "开公司"}).json()
    assert [item["name"] for item in matters["items"]] == ["企业设立登记"]


def test_an_over_long_bundle_query_is_refused_in_chinese(client: Client, db: None) -> None:
    response = client.get("/api/catalogue/bundles", {"q": "企" * 101})
    assert response.status_code == 422
    assert "关键词不能超过 100 个字" in response.content.decode()
