"""The public fees API: estimate a stage's fees, the catalogue, and every bad input a 4xx with a fees_* code."""

from __future__ import annotations

import pytest

from onewindow.fees.tests.factories import fee_world

pytestmark = pytest.mark.django_db
URL = "/api/fees/estimate"
MATERIALS = {"floor_area": "12345.67", "air_defence_area_unbuilt": 800, "contract_value": "36000000"}


def _post(client, body):
    return client.post(URL, body, content_type="application/json")


def test_an_industrial_project_estimates_the_weihai_stage(client):
    world = fee_world()
    body = {"stage_id": world.weihai_stage.pk, "on": "2026-06-01", "project_category": "industrial", **MATERIALS}
    response = _post(client, body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["computed_total"], data["due_total"], data["subsidised_total"]) == (
        "3514851.23",
        "1463000.00",
        "1940740.20",
    )
    rfyd = next(line for line in data["lines"] if line["code"] == "SF-RFYD")
    assert rfyd["department"] == world.departments["9901-RF"].name
    assert rfyd["policy"]["document_number"] == "云川财综〔2024〕3号" and rfyd["due_amount"] == "0.00"


def test_a_missing_material_is_named(client):
    world = fee_world()
    response = _post(client, {"stage_id": world.weihai_stage.pk, "floor_area": "100"})
    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "fees_input_missing" and "防空地下室" in data["message"]
    assert {e["field"] for e in data["errors"]} == {"air_defence_area_unbuilt", "contract_value"}


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"floor_area": "-5"}, 422, "fees_input_invalid"),
        ({"stage_id": None}, 422, "fees_target_invalid"),
        ({"stage_id": 999999}, 404, "fees_stage_not_found"),
        ({"matter_id": 999999, "stage_id": None}, 404, "fees_matter_not_found"),
        ({"project_category": "mining"}, 422, "invalid_input"),
    ],
)
def test_bad_inputs_get_a_stable_code(client, body, status, code):
    world = fee_world()
    response = _post(client, {"stage_id": world.weihai_stage.pk, **MATERIALS, **body})
    assert response.status_code == status, response.content
    assert response.json()["code"] == code


def test_the_catalogue_lists_items_and_policies_in_force(client):
    fee_world()
    data = client.get("/api/fees/catalogue").json()
    assert len(data["items"]) == 9
    numbers = {policy["document_number"] for policy in data["policies"]}
    assert "云川政发〔2024〕12号" in numbers and "云川发改价格〔2022〕4号" not in numbers  # ended in 2023
