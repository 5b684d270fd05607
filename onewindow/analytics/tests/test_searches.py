"""The public catalogue's searches in the leaders' analysis: a search that found nothing is recorded and
listed, the matters most searched are counted, personal data typed into the search is never stored, and a
failing record never breaks the search."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.analytics import services
from onewindow.analytics.figures.selectors import Filters, Period
from onewindow.analytics.figures.tables import demand_for
from onewindow.analytics.models import CatalogueSearch
from onewindow.api.auth import token_issue
from onewindow.cases.tests.factories import region
from onewindow.catalogue.tests.test_selectors import Catalogue, build_catalogue
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import staff

pytestmark = pytest.mark.django_db
LIST = reverse("catalogue:list")
MARCH = Filters(Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)))
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def catalogue(time_machine) -> Catalogue:
    time_machine.move_to(dt.datetime(2026, 3, 10, 23, 30, tzinfo=SHANGHAI), tick=False)  # 15:30 UTC: still the 10th
    return build_catalogue()


def rows(analysis, key):
    return analysis.table(key).rows


def test_a_search_without_result_is_recorded_and_listed_on_the_demand_page(client: Client, catalogue) -> None:
    leader = staff(Role.LEADER, region())
    assert "找到" in client.get(LIST, {"q": "  无人机   飞行  "}).content.decode()
    client.get(LIST, {"q": "无人机 飞行"})
    client.get(LIST, {"q": "施工"})
    client.get(f"/api/catalogue/matters?q={'施工'}")
    client.get(LIST)  # no query: no search

    assert CatalogueSearch.objects.count() == 4
    unfound = CatalogueSearch.objects.filter(results=0).first()
    assert unfound is not None and (unfound.query, unfound.day, unfound.matter) == (
        "无人机 飞行",
        dt.date(2026, 3, 10),
        None,
    )
    demand = demand_for(leader, MARCH)
    assert rows(demand, "searches_unfound") == [{"query": "无人机 飞行", "times": 2, "last_day": "2026-03-10"}]
    assert rows(demand, "searches_by_matter") == [{"name": catalogue.construction.name, "searches": 2}]
    april = Filters(Period(dt.date(2026, 4, 1), dt.date(2026, 4, 30)))
    assert rows(demand_for(leader, april), "searches_unfound") == []


@pytest.mark.parametrize(
    "typed",
    ["110105199001011234", "11010519900101123X", "我的身份证 11010519900101123x", "13812345678", "138 1234 5678"],
)
def test_an_id_number_or_a_phone_typed_into_the_search_is_not_stored(client: Client, catalogue, typed) -> None:
    assert client.get(LIST, {"q": typed}).status_code == 200
    assert client.get("/api/catalogue/matters", {"q": typed}).status_code == 200
    assert not CatalogueSearch.objects.exists()


def test_a_long_query_is_stored_cut_to_100_characters() -> None:
    assert services.normalised_query("许" * 150) == "许" * 100
    assert services.normalised_query("   ") is None


def test_the_search_still_answers_when_the_record_fails(client: Client, catalogue, monkeypatch) -> None:
    def broken(**_fields):
        raise RuntimeError("database down")

    monkeypatch.setattr(CatalogueSearch.objects, "create", broken)
    response = client.get(LIST, {"q": "施工"})
    assert response.status_code == 200 and catalogue.construction.name in response.content.decode()
    api = client.get("/api/catalogue/matters", {"q": "施工"})
    assert api.status_code == 200 and api.json()["count"] == 1


def test_the_demand_api_lists_the_search_tables(client: Client, catalogue) -> None:
    leader = staff(Role.LEADER, region())
    client.get(LIST, {"q": "无人机"})
    headers = {"Authorization": f"Bearer {token_issue(leader).token}"}
    body = Client().get("/api/analytics/demand?from=2026-03-01&to=2026-03-31", headers=headers).json()
    tables = {t["key"]: t for t in body["tables"]}
    assert tables["searches_unfound"]["rows"] == [{"query": "无人机", "times": 1, "last_day": "2026-03-10"}]
    assert tables["searches_by_matter"]["rows"] == []
