"""Two reviewers sealing one check at once: one wins, the other is told it is sealed; the bill is issued
once. Needs PostgreSQL (row locks, real concurrency)."""

from __future__ import annotations

from onewindow.cases.models import TimelineEntry
from onewindow.cases.tests.test_concurrency import at_once, postgres_threads
from onewindow.errors import Conflict
from onewindow.fees.models import BillStatus, FeeCheck, FeeCheckStatus
from onewindow.fees.services import fee_check_seal
from onewindow.fees.tests.bills import bill_world, case_with_bill
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import staff


@postgres_threads
def test_two_reviewers_sealing_the_last_check_at_once_one_wins_and_the_bill_is_issued_once():
    _case, bill = case_with_bill(bill_world())
    checks = list(bill.checks.select_related("department"))
    for check in checks[:-1]:
        fee_check_seal(actor=staff(Role.REVIEWER, check.department), check_id=check.pk)
    last = checks[-1]
    first, second = staff(Role.REVIEWER, last.department), staff(Role.REVIEWER, last.department)

    results = at_once(
        lambda: fee_check_seal(actor=first, check_id=last.pk),
        lambda: fee_check_seal(actor=second, check_id=last.pk),
    )

    won = [r for r in results if isinstance(r, FeeCheck)]
    lost = [r for r in results if isinstance(r, Conflict)]
    assert len(won) == 1 and len(lost) == 1, results
    assert lost[0].code == "fees_check_sealed"
    bill.refresh_from_db()
    assert bill.status == BillStatus.ISSUED and bill.payment_code
    assert FeeCheck.objects.get(pk=last.pk).status == FeeCheckStatus.SEALED
    assert TimelineEntry.objects.filter(case=bill.case_id, action="fee_bill_issued").count() == 1
