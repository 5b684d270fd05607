"""The public fee pages: the catalogue, and the estimate an applicant makes for a stage."""

from __future__ import annotations

import pytest

from onewindow.fees.tests.factories import fee_world

pytestmark = pytest.mark.django_db


def test_the_catalogue_shows_items_and_policies_in_force(client):
    fee_world()
    page = client.get("/fees/").content.decode()
    assert "防空地下室易地建设费" in page and "计价格〔2000〕474号" in page
    assert "云川财综〔2024〕3号" in page and "云川发改价格〔2022〕4号" not in page


def test_an_applicant_estimates_the_stage_and_sees_who_collects_what(client):
    w = fee_world()
    query = {
        "stage": w.weihai_stage.pk,
        "on": "2026-06-01",
        "floor_area": "12345.67",
        "air_defence_area_unbuilt": "800",
        "contract_value": "36000000",
        "project_category": "industrial",
    }
    page = client.get("/fees/estimate/", query).content.decode()
    assert page.count('ow-fees-line"') == 7
    assert "1463000.00" in page and "3514851.23" in page  # due, computed
    assert "云川政发〔2024〕12号" in page and w.departments["9901-RF"].name in page


def test_missing_materials_are_shown_on_the_form_not_lost(client):
    w = fee_world()
    page = client.get("/fees/estimate/", {"stage": w.weihai_stage.pk, "floor_area": "100"}).content.decode()
    assert "请填写施工合同价款（元）" in page and "请填写应建未建防空地下室面积（平方米）" in page
    assert 'value="100"' in page and 'ow-fees-line"' not in page


def test_a_negative_area_is_refused_and_kept_on_the_form(client):
    w = fee_world()
    page = client.get("/fees/estimate/", {"stage": w.weihai_stage.pk, "floor_area": "-1"}).content.decode()
    assert 'ow-fees-line"' not in page and "invalid-feedback" in page and 'value="-1"' in page
