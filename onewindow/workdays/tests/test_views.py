import pytest
import time_machine
from django.urls import reverse

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-22 10:00 +0800", tick=False)
def test_the_page_shows_this_years_holidays_by_default(client):
    response = client.get(reverse("workdays:calendar"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "2026 年工作日历" in html
    assert "国庆节" in html and "2026-10-01" in html and "2026-10-10" in html
    assert 'id="provisional-banner"' not in html


def test_a_year_not_entered_shows_the_provisional_banner(client):
    html = client.get(reverse("workdays:calendar"), {"year": "2027"}).content.decode()
    assert 'id="provisional-banner"' in html
    assert "只按周末计算" in html


def test_a_bad_year_is_explained_not_an_error_page(client):
    response = client.get(reverse("workdays:calendar"), {"year": "abc"})
    assert response.status_code == 200
    assert "年份格式有误" in response.content.decode()


def test_the_htmx_form_answers_with_the_deadline(client):
    response = client.get(reverse("workdays:add"), {"start": "2026-09-30", "days": "5"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "2026-10-13" in html
    assert "<html" not in html


def test_the_form_without_javascript_answers_on_the_page(client):
    html = client.get(reverse("workdays:calendar"), {"start": "2026-09-30", "days": "5"}).content.decode()
    assert "2026-10-13" in html


def test_a_provisional_answer_says_so(client):
    html = client.get(reverse("workdays:add"), {"start": "2026-12-30", "days": "5"}).content.decode()
    assert "2027-01-06" in html and "暂定" in html


def test_bad_form_input_is_explained_in_chinese(client):
    html = client.get(reverse("workdays:add"), {"start": "2026-09-30", "days": "-3"}).content.decode()
    assert "工作日数须为 0 至 3650" in html
