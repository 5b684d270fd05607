"""The departments' fee checks: corrections with reasons, seals over the lines, the bill issued when the
last check is sealed, the bill's 5-working-day clock and its warnings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from onewindow.audit.models import Event
from onewindow.cases.models import TimelineEntry
from onewindow.cases.tests.factories import department, region
from onewindow.errors import Conflict, InvalidFields, NotFound, PermissionDenied
from onewindow.fees.models import Bill, BillLine, BillStatus, FeeCheck, FeeCheckStatus
from onewindow.fees.sealing import line_seal_valid
from onewindow.fees.selectors import checks_for_collector
from onewindow.fees.services import bill_warning_levels_refresh, fee_check_seal, fee_line_correct
from onewindow.fees.tests.bills import bill_world, case_with_bill
from onewindow.notify.models import Delivery
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import staff
from onewindow.workdays.selectors import work_calendar_clear_cache
from onewindow.workdays.tests.factories import SpecialDayFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def on_monday(time_machine):
    time_machine.move_to(dt.datetime.combine(MONDAY, dt.time(10), tzinfo=SHANGHAI), tick=False)
    work_calendar_clear_cache()
    yield
    work_calendar_clear_cache()


def reviewer(check: FeeCheck):
    return staff(Role.REVIEWER, check.department)


def a_line(bill: Bill, **where) -> BillLine:
    line = bill.lines.filter(**where).select_related("fee_check__department").order_by("item_code").first()
    assert line is not None
    return line


def seal_all(bill: Bill) -> None:
    for check in bill.checks.select_related("department"):
        fee_check_seal(actor=reviewer(check), check_id=check.pk)


def test_a_correction_needs_a_reason_and_is_audited_with_both_amounts():
    _case, bill = case_with_bill(bill_world())
    line = a_line(bill, due_amount__gt=0)
    who = reviewer(line.fee_check)
    lower = line.due_amount - Decimal("100.00")

    with pytest.raises(InvalidFields) as refused:
        fee_line_correct(actor=who, line_id=line.pk, due_amount=lower, reason=" ")
    assert refused.value.code == "fees_reason_missing"
    line.refresh_from_db()
    assert line.due_amount == line.proposed_due_amount

    fee_line_correct(actor=who, line_id=line.pk, due_amount=lower, reason="面积核减")
    line.refresh_from_db()
    bill.refresh_from_db()
    assert line.due_amount == lower and line.correction_reason == "面积核减" and line.corrected
    assert bill.due_total == sum(row.due_amount for row in bill.lines.all())
    event = Event.objects.get(stream=f"fee_bill:{bill.pk}", action="fees.line_corrected")
    assert event.changes["old"]["due"] == str(line.proposed_due_amount)
    assert event.changes["new"]["due"] == str(lower) and event.changes["reason"] == "面积核减"


def test_confirming_the_computed_amount_needs_no_reason_and_more_than_computed_is_refused():
    _case, bill = case_with_bill(bill_world())
    line = a_line(bill, due_amount__gt=0)
    who = reviewer(line.fee_check)

    fee_line_correct(actor=who, line_id=line.pk, due_amount=line.proposed_due_amount, reason="")
    with pytest.raises(InvalidFields) as refused:
        fee_line_correct(actor=who, line_id=line.pk, due_amount=line.computed_amount + 1, reason="多收")
    assert refused.value.code == "fees_amount_invalid"


def test_a_line_missing_fee_materials_cannot_be_sealed_until_the_department_sets_its_amounts():
    _case, bill = case_with_bill(bill_world(), contract_value=None)
    line = next(x for x in bill.lines.order_by("item_code") if x.inputs_missing)
    check = FeeCheck.objects.select_related("department").get(pk=line.fee_check_id)
    who = reviewer(check)

    with pytest.raises(InvalidFields) as refused:
        fee_check_seal(actor=who, check_id=check.pk)
    assert refused.value.code == "fees_line_inputs_missing"
    assert FeeCheck.objects.get(pk=check.pk).status == FeeCheckStatus.OPEN

    fee_line_correct(
        actor=who, line_id=line.pk, computed_amount="3600.00", due_amount="3600.00", reason="按合同价款核定"
    )
    for other in [x for x in check.lines.all() if x.inputs_missing]:
        fee_line_correct(actor=who, line_id=other.pk, computed_amount="10", due_amount="10", reason="按合同价款核定")
    fee_check_seal(actor=who, check_id=check.pk)
    line.refresh_from_db()
    assert line.computed_amount == Decimal("3600.00") and line.inputs_missing == [] and line_seal_valid(line)


def test_a_sealed_line_cannot_change_and_a_change_by_hand_breaks_its_seal():
    _case, bill = case_with_bill(bill_world())
    line = a_line(bill, due_amount__gt=0)
    who = reviewer(line.fee_check)
    fee_check_seal(actor=who, check_id=line.fee_check_id)
    line.refresh_from_db()
    assert line_seal_valid(line)

    with pytest.raises(Conflict) as refused:
        fee_line_correct(actor=who, line_id=line.pk, due_amount=0, reason="改为零")
    assert refused.value.code == "fees_line_sealed"
    with pytest.raises(Conflict) as twice:
        fee_check_seal(actor=who, check_id=line.fee_check_id)
    assert twice.value.code == "fees_check_sealed"

    BillLine.objects.filter(pk=line.pk).update(due_amount=line.due_amount - 1)
    line.refresh_from_db()
    assert not line_seal_valid(line)


def test_the_bill_is_issued_when_the_last_check_is_sealed(django_capture_on_commit_callbacks):
    case, bill = case_with_bill(bill_world())
    checks = list(bill.checks.select_related("department"))
    for check in checks[:-1]:
        fee_check_seal(actor=reviewer(check), check_id=check.pk)
    bill.refresh_from_db()
    assert bill.status == BillStatus.CHECKING and bill.payment_code is None

    with django_capture_on_commit_callbacks(execute=True):
        fee_check_seal(actor=reviewer(checks[-1]), check_id=checks[-1].pk)
    bill.refresh_from_db()
    assert bill.status == BillStatus.ISSUED and bill.issued_at is not None
    assert Delivery.objects.filter(recipient=case.applicant.user, topic="fees.bill_issued").count() == 1
    assert bill.payment_code is not None and len(bill.payment_code) == 20 and bill.payment_code.isdigit()
    assert bill.due_total == sum(line.due_amount for line in bill.lines.all())
    assert all(line_seal_valid(line) for line in bill.lines.select_related("bill"))
    assert Event.objects.filter(stream=f"fee_bill:{bill.pk}", action="fees.bill_issued").count() == 1
    assert TimelineEntry.objects.filter(case=case, action="fee_bill_issued", is_public=True).count() == 1


def test_only_the_collecting_department_may_act_and_outsiders_get_not_found():
    world = bill_world()
    _case, bill = case_with_bill(world)
    check = bill.checks.select_related("department").first()
    other = next(c for c in bill.checks.select_related("department") if c.pk != check.pk)
    with pytest.raises(PermissionDenied) as refused:
        fee_check_seal(actor=reviewer(other), check_id=check.pk)
    assert refused.value.code == "fees_not_collecting_department"

    stranger = staff(Role.REVIEWER, department(region()))  # a department of another district
    with pytest.raises(NotFound):
        fee_check_seal(actor=stranger, check_id=check.pk)
    assert FeeCheck.objects.get(pk=check.pk).status == FeeCheckStatus.OPEN


def test_the_five_day_clock_skips_a_holiday_and_warnings_follow_it(time_machine):
    SpecialDayFactory(on=dt.date(2026, 3, 4), name="测试假日")  # a Wednesday off
    work_calendar_clear_cache()
    _case, bill = case_with_bill(bill_world())
    # Monday 2 March + 5 working days, Wednesday a holiday: Tuesday 10 March, not Monday 9 March
    assert bill.due_on == dt.date(2026, 3, 10)

    assert bill_warning_levels_refresh(today=MONDAY)["normal"] >= 1
    bill.refresh_from_db()
    assert bill.warning_level == "normal"
    bill_warning_levels_refresh(today=dt.date(2026, 3, 9))
    bill.refresh_from_db()
    assert bill.warning_level == "yellow"
    bill_warning_levels_refresh(today=dt.date(2026, 3, 11))
    bill.refresh_from_db()
    assert bill.warning_level == "red"


def test_the_work_list_puts_open_checks_first_then_red_then_the_earliest_due():
    world = bill_world()
    bills = [case_with_bill(world)[1] for _ in range(3)]
    code = bills[0].checks.select_related("department").first().department.code
    who = staff(Role.REVIEWER, world.departments[code])
    checks = [bill.checks.get(department__code=code) for bill in bills]
    Bill.objects.filter(pk=bills[2].pk).update(warning_level="red", due_on=MONDAY + dt.timedelta(days=30))
    fee_check_seal(actor=who, check_id=checks[0].pk)

    assert [check.pk for check in checks_for_collector(who)] == [checks[2].pk, checks[1].pk, checks[0].pk]
    assert [check.pk for check in checks_for_collector(who, status="open")] == [checks[2].pk, checks[1].pk]
