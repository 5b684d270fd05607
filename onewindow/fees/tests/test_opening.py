"""Acceptance opens the charging stage's bill: one fee check per collecting department, lines computed on
the day under the policies in force, the bill's own 5-working-day clock."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onewindow.audit.models import Event
from onewindow.cases.models import TimelineEntry
from onewindow.demo.data.fees import SERVICE_FEES
from onewindow.fees.models import Bill, BillStatus, FeeCheckStatus
from onewindow.fees.tests.bills import bill_world, case_with_bill

pytestmark = pytest.mark.django_db


def test_acceptance_opens_one_bill_with_a_check_per_collecting_department() -> None:
    world = bill_world()
    case, bill = case_with_bill(world)

    assert bill.status == BillStatus.CHECKING and bill.number == f"{case.number}-JF1"
    assert bill.lines.count() == 7
    checks = bill.checks.all()
    assert {check.department.code for check in checks} == {line.item.department.code for line in bill.lines.all()}
    assert len(checks) == 5 and all(check.status == FeeCheckStatus.OPEN for check in checks)
    assert bill.limit_days == 5 and bill.due_on > bill.opened_on
    assert bill.due_total == sum(line.due_amount for line in bill.lines.all())
    assert Event.objects.filter(stream=f"fee_bill:{bill.pk}", action="fees.bill_opened").count() == 1
    assert TimelineEntry.objects.filter(case=case, action="fee_bill_opened", is_public=True).exists()


def test_a_missing_fee_material_leaves_its_line_at_zero_for_the_department_to_set() -> None:
    world = bill_world()
    _case, bill = case_with_bill(world, contract_value=None)

    needing = [line for line in bill.lines.all() if line.inputs_missing]
    assert needing and all(line.inputs_missing == ["contract_value"] for line in needing)
    assert all(line.due_amount == Decimal("0.00") for line in needing)


def test_a_bill_charges_only_its_own_stage_and_the_next_stage_waits_for_its_opening() -> None:
    world = bill_world(position=2)  # Weihai's seven on stage 2, the two service fees on stage 1
    case, bill = case_with_bill(world)

    assert bill.stage_position == 1 and bill.lines.count() == len(SERVICE_FEES)
    assert not Bill.objects.filter(case=case, stage_position=2).exists()
