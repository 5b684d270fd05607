import pytest

pytestmark = pytest.mark.django_db


def test_add_answers_with_the_deadline(client):
    response = client.get("/api/workdays/add", {"start": "2026-09-30", "days": "5"})
    assert response.status_code == 200
    body = response.json()
    assert (body["result"], body["provisional"], body["unknown_years"]) == ("2026-10-13", False, [])


def test_add_into_an_unknown_year_is_provisional(client):
    body = client.get("/api/workdays/add", {"start": "2026-12-30", "days": "5"}).json()
    assert (body["result"], body["provisional"], body["unknown_years"]) == ("2027-01-06", True, [2027])


def test_add_with_suspensions(client):
    response = client.get(
        "/api/workdays/add", {"start": "2026-09-30", "days": "5", "suspend": ["2026-10-08", "2026-10-09..2026-10-09"]}
    )
    assert response.json()["result"] == "2026-10-15"


def test_between_counts_working_days(client):
    body = client.get("/api/workdays/between", {"start": "2026-09-30", "end": "2026-10-13"}).json()
    assert (body["working_days"], body["provisional"]) == (5, False)


def test_a_year_not_entered_is_reported_unknown(client):
    body = client.get("/api/workdays/years/2027").json()
    assert (body["year"], body["known"], body["holidays"]) == (2027, False, [])


def test_a_known_year_lists_its_periods_and_make_up_days(client):
    body = client.get("/api/workdays/years/2026").json()
    assert body["known"] is True
    assert {"name": "国庆节", "first_on": "2026-10-01", "last_on": "2026-10-07", "day_count": 7} in body["holidays"]
    assert {"on": "2026-10-10", "name": "国庆节"} in body["makeup_workdays"]


@pytest.mark.parametrize(
    ("url", "params", "code"),
    [
        ("/api/workdays/add", {"start": "30/09/2026", "days": "5"}, "workdays_invalid_date"),
        ("/api/workdays/add", {"start": "2026-09-30", "days": "-1"}, "workdays_invalid_days"),
        ("/api/workdays/add", {"start": "2026-09-30", "days": "3651"}, "workdays_invalid_days"),
        ("/api/workdays/add", {"start": "2026-09-30", "days": "1e9"}, "workdays_invalid_days"),
        ("/api/workdays/add", {"start": "2026-09-30", "days": "5", "suspend": "x"}, "workdays_invalid_date"),
        ("/api/workdays/add", {"start": "2199-12-01", "days": "3650"}, "workdays_date_out_of_range"),
        ("/api/workdays/between", {"start": "2026-09-30", "end": "soon"}, "workdays_invalid_date"),
        ("/api/workdays/add", {"start": "2026-09-30"}, "invalid_input"),
        ("/api/workdays/years/20x7", {}, "workdays_invalid_year"),
        ("/api/workdays/years/9999", {}, "workdays_date_out_of_range"),
    ],
)
def test_bad_input_gets_a_stable_code_and_a_chinese_message(client, url, params, code):
    response = client.get(url, params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])
