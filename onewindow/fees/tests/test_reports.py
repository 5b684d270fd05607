"""The fee reports over real bills (their states set through the ORM, `tests.reporting`): the reconciliation of
a day across departments and accounts, the savings per policy, district, industry and month, who sees what,
and the Excel exports."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from onewindow.fees.models import BillLine, BillStatus
from onewindow.fees.reports import selectors
from onewindow.fees.reports.tables import reconciliation_for, savings_list
from onewindow.fees.tests.reporting import (
    SECOND_ACCOUNT,
    ReportWorld,
    bill_issued,
    bill_paid,
    bill_set,
    enterprise,
    line,
    line_refunded,
    report_world,
)
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation
from onewindow.orgs.tests.factories import DepartmentFactory, RegionFactory, staff

pytestmark = pytest.mark.django_db

D = dt.date(2026, 11, 10)
DAY = dt.timedelta(days=1)
MAIN = "3701 0000 1234 5678 901"
PENSION, WAGES, PRICE = "建设企业养老保障金", "农民工工资保障金", "价格调节基金"
NOW = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)


@pytest.fixture
def rw() -> ReportWorld:
    return report_world()


def _rows(payload: dict, key: str) -> list[dict]:
    return next(t for t in payload["tables"] if t["key"] == key)["rows"]


def _row(rows: list[dict], department: Organisation, account: str, day: dt.date | None = None) -> dict:
    found = [
        r
        for r in rows
        if r["department"] == department.name
        and r["account_number"] == account
        and (day is None or r["day"] == day.isoformat())
    ]
    assert len(found) == 1, rows
    return found[0]


def _get(client: Client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response.json()


@pytest.fixture
def a_day(rw: ReportWorld) -> ReportWorld:
    """Day D: bill A (issued D−1) paid; bill B issued just after midnight, unpaid; bill C (issued D−2, paid
    D−1) refunded 1,000 on its wages line; a cancelled and a still-checking bill. The price fund (发改委) is
    collected into a second account."""
    a, b, c, cancelled, checking = (rw.new_bill() for _ in range(5))
    BillLine.objects.filter(item_name=PRICE).update(account_number=SECOND_ACCOUNT, account_name="价格调节基金专户")
    bill_issued(a, D - DAY)
    bill_paid(a, D)
    bill_issued(b, D, hour=0)  # 00:00 in Asia/Shanghai is the day before in UTC: still day D
    bill_issued(c, D - 2 * DAY)
    bill_paid(c, D - DAY)
    line_refunded(line(c, WAGES), Decimal("1000.00"), D)
    bill_issued(cancelled, D)
    bill_set(cancelled, status=BillStatus.CANCELLED)
    assert checking.status == BillStatus.CHECKING
    return rw


def test_a_day_reconciles_issued_paid_refunded_and_outstanding_per_department_and_account(client, a_day):
    rw = a_day
    client.force_login(staff(Role.REVIEWER, rw.finance))
    payload = _get(client, f"/api/fees/reconciliation?from={D - 2 * DAY}&to={D}")
    daily = _rows(payload, "reconciliation_daily")
    housing = _row(daily, rw.departments["9901-ZJ"], MAIN, D)  # only the pension line owes money
    assert (housing["issued_count"], housing["issued_amount"]) == (1, "720000.00")
    assert (housing["paid_count"], housing["paid_amount"]) == (1, "720000.00")
    assert (housing["refunded_count"], housing["outstanding_count"], housing["outstanding_amount"]) == (
        0,
        1,
        "720000.00",
    )
    wages = _row(daily, rw.departments["9901-RS"], MAIN, D)
    assert (wages["refunded_count"], wages["refunded_amount"]) == (1, "1000.00")
    price = _row(daily, rw.departments["9901-FG"], SECOND_ACCOUNT, D)
    assert (price["issued_amount"], price["paid_amount"], price["outstanding_amount"]) == (
        "23000.00",
        "23000.00",
        "23000.00",
    )
    assert price["account_name"] == "价格调节基金专户"
    before = _row(daily, rw.departments["9901-ZJ"], MAIN, D - DAY)
    assert (before["issued_count"], before["paid_count"], before["outstanding_count"]) == (1, 1, 1)
    assert not [r for r in daily if r["department"] == rw.departments["9901-GXJ"].name]  # waived: nothing owed
    total = _row(_rows(payload, "reconciliation_accounts"), rw.departments["9901-ZJ"], MAIN)
    assert (total["issued_count"], total["paid_count"], total["outstanding_count"]) == (3, 2, 1)


def test_a_collecting_department_sees_only_its_own_accounts(client, a_day):
    rw = a_day
    client.force_login(staff(Role.REVIEWER, rw.departments["9901-ZJ"]))
    payload = _get(client, f"/api/fees/reconciliation?from={D - 2 * DAY}&to={D}")
    names = {r["department"] for r in _rows(payload, "reconciliation_daily")}
    assert names == {rw.departments["9901-ZJ"].name}
    assert [d["id"] for d in payload["departments"]] == [rw.departments["9901-ZJ"].pk]
    other = rw.departments["9901-RS"].pk
    assert client.get(f"/api/fees/reconciliation?department={other}").status_code == 404
    assert client.get(f"/fees/reconciliation/?department={other}").status_code == 404


def test_another_districts_staff_see_nothing_of_ours(client, a_day):
    rw = a_day
    elsewhere = RegionFactory(level=Organisation.Level.DISTRICT)
    for user in (staff(Role.REVIEWER, DepartmentFactory(parent=elsewhere)), staff(Role.LEADER, elsewhere)):
        client.force_login(user)
        payload = _get(client, f"/api/fees/reconciliation?from={D - 2 * DAY}&to={D}")
        assert all(not t["rows"] for t in payload["tables"])
        ours = rw.departments["9901-ZJ"].pk
        assert client.get(f"/api/fees/reconciliation?department={ours}").status_code == 404


def test_a_supervisor_sees_every_department_of_the_subtree_and_a_region_clerk_none(client, a_day):
    rw = a_day
    client.force_login(staff(Role.SUPERVISOR, rw.home))
    payload = _get(client, f"/api/fees/reconciliation?from={D}&to={D}")
    assert {r["department"] for r in _rows(payload, "reconciliation_daily")} == {
        rw.departments[code].name for code in ("9901-ZJ", "9901-RS", "9901-FG")
    }
    client.force_login(staff(Role.CLERK, rw.home))
    assert client.get("/api/fees/reconciliation").status_code == 403


def test_the_reconciliation_page_and_export_show_the_same_numbers(client, a_day):
    rw = a_day
    client.force_login(staff(Role.REVIEWER, rw.finance))
    page = client.get(f"/fees/reconciliation/?from={D}&to={D}")
    assert page.status_code == 200
    assert "收费对账" in page.content.decode()
    assert "价格调节基金专户" in page.content.decode()
    response = client.get(f"/fees/reconciliation/export/?from={D}&to={D}")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = list(workbook["逐日对账（按执收部门、账户和日期）"].values)
    assert sheet[1][:5] == ("执收部门", "收款账户名称", "收款账号", "日期", "出具笔数")
    price = next(r for r in sheet[2:] if r[2] == SECOND_ACCOUNT)
    assert price[3:6] == ("2026-11-10", 1, 23000)


def test_a_wrong_date_is_refused_in_the_api_and_shown_on_the_page(client, rw):
    client.force_login(staff(Role.REVIEWER, rw.finance))
    response = client.get("/api/fees/reconciliation?from=2026-13-01")
    assert response.status_code == 422
    assert response.json()["code"] == "fees_report_period_invalid"
    page = client.get("/fees/reconciliation/?from=2026-13-01")
    assert page.status_code == 200
    assert "日期格式应为 YYYY-MM-DD。" in page.content.decode()


# --- savings ----------------------------------------------------------------------------------------------

SUBSIDY, WAIVER = "云川财综〔2024〕3号", "云川政发〔2024〕12号"
PER_BILL = Decimal("1278000.00")  # subsidised 720,000 + 450,000; waived 96,000 + 12,000


@pytest.fixture
def savings(rw: ReportWorld) -> ReportWorld:
    """Three counted bills: an enterprise's in the home district (October), a person's in a township of it
    (November, paid), another enterprise's in another district (November, refunded); a cancelled and a
    still-checking bill are not counted."""
    township = RegionFactory(level=Organisation.Level.TOWNSHIP, parent=rw.home)
    rw.elsewhere = RegionFactory(level=Organisation.Level.DISTRICT, name="远方县")  # type: ignore[attr-defined]
    s1, s2, s3, cancelled, _checking = (rw.new_bill() for _ in range(5))
    bill_set(s1, payer=enterprise("云川重工有限公司"), industry="制造业", computed_on=dt.date(2026, 10, 5))
    bill_issued(s1, dt.date(2026, 10, 6))
    bill_set(s2, region=township, industry="信息技术", computed_on=dt.date(2026, 11, 3))
    bill_issued(s2, dt.date(2026, 11, 3))
    bill_paid(s2, dt.date(2026, 11, 4))
    payer3 = enterprise("远方建材有限公司", "91330000600037342")
    bill_set(s3, payer=payer3, region=rw.elsewhere, industry="制造业", computed_on=dt.date(2026, 11, 20))  # type: ignore[attr-defined]
    bill_set(s3, status=BillStatus.REFUNDED)
    bill_set(cancelled, status=BillStatus.CANCELLED, computed_on=dt.date(2026, 11, 1))
    rw.person = s2.payer  # type: ignore[attr-defined]
    return rw


def _by(rows: list[dict], key: str, value: str) -> dict:
    return next(r for r in rows if r[key] == value)


@time_machine.travel(NOW, tick=False)
def test_the_savings_per_policy_district_industry_and_month(client, savings):
    rw = savings
    payload = _get(client, "/api/fees/savings?from=2026-10&to=2026-11")
    assert (payload["from_date"], payload["to_date"]) == ("2026-10-01", "2026-11-30")
    policy = _by(_rows(payload, "savings_by_policy"), "document_number", SUBSIDY)
    assert (policy["bill_count"], policy["relieved_amount"], policy["subsidised_amount"]) == (
        3,
        "3510000.00",
        "3510000.00",
    )
    assert policy["kind"] == "财政补贴"
    waived = _by(_rows(payload, "savings_by_policy"), "document_number", WAIVER)
    assert (waived["relieved_amount"], waived["subsidised_amount"]) == ("324000.00", "0.00")
    months = _rows(payload, "savings_by_month")
    assert [(m["month"], m["bill_count"], Decimal(m["relieved_amount"])) for m in months] == [
        ("2026-10", 1, PER_BILL),
        ("2026-11", 2, 2 * PER_BILL),
    ]
    districts = {
        d["district"]: (d["bill_count"], Decimal(d["relieved_amount"])) for d in _rows(payload, "savings_by_district")
    }
    assert districts == {rw.home.name: (2, 2 * PER_BILL), "远方县": (1, PER_BILL)}
    industries = {i["industry"]: i["bill_count"] for i in _rows(payload, "savings_by_industry")}
    assert industries == {"制造业": 2, "信息技术": 1}
    assert payload["year_relieved_wan"] == "383.40"


@time_machine.travel(NOW, tick=False)
def test_the_public_savings_page_names_no_payer(client, savings):
    rw = savings
    page = client.get("/fees/savings/?from=2026-10&to=2026-11")
    assert page.status_code == 200
    text = page.content.decode()
    assert "本年度为企业减免费用383.40万元" in text
    assert SUBSIDY in text and rw.home.name in text
    for name in ("云川重工有限公司", "远方建材有限公司", rw.person.name):
        assert name not in text
    api = client.get("/api/fees/savings?from=2026-10&to=2026-11").content.decode()
    assert "云川重工有限公司" not in api and rw.person.name not in api
    response = client.get("/fees/savings/export/?from=2026-10&to=2026-11")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == [
        "减免成效（按政策）",
        "减免成效（按月份）",
        "减免成效（按区县）",
        "减免成效（按行业）",
    ]
    months = list(workbook["减免成效（按月份）"].values)
    assert months[1] == ("月份", "缴款通知书数", "应收金额（元）", "企业少缴金额（元）", "其中：财政补贴（元）")
    assert months[3] == ("2026-11", 2, 2556000, 2556000, 2340000)


@time_machine.travel(NOW, tick=False)
def test_the_finance_list_names_enterprises_masks_people_and_keeps_to_its_region(client, savings):
    rw = savings
    client.force_login(staff(Role.REVIEWER, rw.finance))
    payload = _get(client, "/api/fees/savings/list?from=2026-10&to=2026-11")
    rows = _rows(payload, "savings_by_enterprise")
    payers = {r["payer"] for r in rows}
    assert "云川重工有限公司" in payers
    assert "远方建材有限公司" not in payers  # another district's bill
    assert rw.person.name not in payers
    masked = rw.person.name[0] + "*" * (len(rw.person.name) - 1)
    assert masked in payers
    assert rw.person.id_number not in str(rows)
    heavy = _by(rows, "payer", "云川重工有限公司")
    assert heavy["district"] == rw.home.name and heavy["industry"] == "制造业"
    page = client.get("/fees/savings/list/?from=2026-10&to=2026-11")
    assert "云川重工有限公司" in page.content.decode()
    response = client.get("/fees/savings/list/export/?from=2026-10&to=2026-11")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = list(workbook["减免明细（按缴款人和政策）"].values)
    assert sheet[1][0] == "缴款人"
    assert any(r[0] == "云川重工有限公司" for r in sheet[2:])
    client.force_login(staff(Role.LEADER, rw.elsewhere))  # type: ignore[attr-defined]
    rows = _rows(_get(client, "/api/fees/savings/list?from=2026-10&to=2026-11"), "savings_by_enterprise")
    assert {r["payer"] for r in rows} == {"远方建材有限公司"}


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_the_reports_read_a_fixed_number_of_queries_whatever_the_bills(rw):
    finance = staff(Role.REVIEWER, rw.finance)
    period = selectors.Period(D - DAY, D)
    months = selectors.Period(dt.date(2026, 10, 1), dt.date(2026, 11, 30))

    def reports() -> int:
        return _queries(lambda: reconciliation_for(finance, department_id=None, period=period)) + _queries(
            lambda: savings_list(finance, period=months)
        )

    first = rw.new_bill()
    bill_set(first, computed_on=D)
    bill_issued(first, D)
    reports()  # the user's memberships are read once, then kept on the user
    few = reports()
    for _ in range(3):
        bill = bill_set(rw.new_bill(), computed_on=D, payer=enterprise(f"企业{_}", f"9111000060003734{_}"))
        bill_issued(bill, D - DAY)
        bill_paid(bill, D)
    assert reports() == few


@time_machine.travel(NOW, tick=False)
def test_the_default_periods_are_the_last_30_days_and_the_last_12_months(client, rw):
    client.force_login(staff(Role.SUPERVISOR, rw.home))
    payload = _get(client, "/api/fees/reconciliation")
    assert (payload["from_date"], payload["to_date"]) == ("2026-11-08", "2026-12-07")
    payload = _get(client, "/api/fees/savings")
    assert (payload["from_date"], payload["to_date"]) == ("2026-01-01", "2026-12-31")
