"""Reads of bills, scoped to who may see them:

- the payer's own account (`Applicant.user`) and the agents representing the payer's case
  (`agency.selectors.represented_cases_condition`, as for the case itself);
- staff whose organisations (with their subtree) hold the case's region or one of the bill's collecting
  departments;
- anyone else gets the same "not found" as for a bill that does not exist.

Acting on a check (correcting, sealing) is for the check's department (or an organisation above it) with
role reviewer, department head or lead coordinator (`COLLECT_ROLES`).
"""

from __future__ import annotations

from django.db.models import Case as When_
from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from onewindow.agency.selectors import represented_cases_condition
from onewindow.cases.models import Case
from onewindow.errors import NotFound
from onewindow.fees.models import Bill, BillLine, BillStatus, FeeCheck, FeeCheckStatus
from onewindow.orgs.domain import Role
from onewindow.orgs.models import User
from onewindow.orgs.selectors import holds_role_over, organisations_visible_to, user_roles

COLLECT_ROLES = frozenset({Role.REVIEWER, Role.DEPARTMENT_HEAD, Role.LEAD_COORDINATOR})
STAFF_ROLES = frozenset(Role) - {Role.AGENT}  # an agent sees only what they represent
BILL_RELATED = ("case", "payer", "region")


def bill_not_found() -> NotFound:
    return NotFound(_("未找到该缴款通知书"), code="fees_bill_not_found")


def check_not_found() -> NotFound:
    return NotFound(_("未找到该收费核定任务"), code="fees_check_not_found")


def line_not_found() -> NotFound:
    return NotFound(_("未找到该缴款明细"), code="fees_line_not_found")


SETTLED = (BillStatus.PAID, BillStatus.REFUNDED, BillStatus.CANCELLED)


def stage_waits_for_payment(case: Case, stage: int) -> str:
    """Why a case's stage may not end yet because of its bill ("" when it may): a stage gate of cases."""
    bill = Bill.objects.filter(case=case, stage_position=stage, waits_for_payment=True).first()
    return payment_awaited(bill) if bill is not None else ""


def payment_awaited(bill: Bill) -> str:
    """Why the bill's stage waits ("" once the bill is paid, refunded or void, issued with nothing to pay (全额减免),
    or when it does not wait)."""
    nothing_due = bill.status == BillStatus.ISSUED and bill.due_total <= 0
    if not bill.waits_for_payment or nothing_due or bill.status in SETTLED:
        return ""
    return _("第%(stage)s阶段待缴费：缴款通知书%(number)s缴清后进入下一步。") % {
        "stage": bill.stage_position,
        "number": bill.number,
    }


# --- who sees a bill ------------------------------------------------------------------------------


def is_fee_staff(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user_roles(user) & STAFF_ROLES)


def payer_condition(user: User) -> Q:
    condition = Q(payer__user=user)
    if (represented := represented_cases_condition(user)) is not None:
        condition |= Q(case__in=Case.objects.filter(represented).values("id"))
    return condition


def bills_visible_to(user: User) -> QuerySet[Bill]:
    """Every bill the user may open (as payer, agent or staff of the region or a collecting department)."""
    if not (user.is_authenticated and user.is_active):
        return Bill.objects.none()
    condition = payer_condition(user)
    if is_fee_staff(user):
        visible = organisations_visible_to(user, roles=set(STAFF_ROLES)).values("id")
        collecting = Exists(FeeCheck.objects.filter(bill=OuterRef("pk"), department__in=visible))
        condition |= Q(region__in=visible) | Q(collecting)
    return Bill.objects.filter(condition)


def may_see_bill(user: User | None, bill: Bill) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return bills_visible_to(user).filter(pk=bill.pk).exists()


def may_collect(user: User, check: FeeCheck) -> bool:
    """The user may correct and seal the check's lines (its department or above, a collecting role)."""
    return holds_role_over(user, check.department, COLLECT_ROLES)


def bill_get_for_user(*, user: User, bill_id: int) -> Bill:
    bill = bills_visible_to(user).select_related(*BILL_RELATED).filter(pk=bill_id).first()
    if bill is None:
        raise bill_not_found()
    return bill


def check_get_for_user(*, user: User, check_id: int) -> FeeCheck:
    """A check of a bill the user may see; any other is the same NotFound as a missing one."""
    visible = bills_visible_to(user).values("id")
    check = (
        FeeCheck.objects.select_related("department", "sealed_by", *(f"bill__{name}" for name in BILL_RELATED))
        .filter(pk=check_id, bill__in=visible)
        .first()
    )
    if check is None:
        raise check_not_found()
    return check


def check_lines(check: FeeCheck) -> list[BillLine]:
    return list(check.lines.select_related("policy").order_by("item_code"))


# --- lists ------------------------------------------------------------------------------------------


def _warning_rank() -> When_:
    return When_(
        When(bill__warning_level="red", then=Value(0)),
        When(bill__warning_level="yellow", then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def checks_for_collector(user: User, *, status: str = "") -> QuerySet[FeeCheck]:
    """收费核定: the checks of the user's collecting departments (and below), open first, red first, due date."""
    if not (user.is_authenticated and user.is_active):
        return FeeCheck.objects.none()
    departments = organisations_visible_to(user, roles=set(COLLECT_ROLES)).values("id")
    checks = FeeCheck.objects.filter(department__in=departments)
    if status in FeeCheckStatus.values:
        checks = checks.filter(status=status)
    open_first = When_(When(status=FeeCheckStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        checks.select_related("department", "bill", "bill__payer", "bill__case")
        .annotate(open_rank=open_first, warning_rank=_warning_rank())
        .order_by("open_rank", "warning_rank", "bill__due_on", "pk")
    )


def bills_of_payer(user: User) -> QuerySet[Bill]:
    """我的缴费: the bills the user pays (own or represented), newest first."""
    if not (user.is_authenticated and user.is_active):
        return Bill.objects.none()
    return Bill.objects.filter(payer_condition(user)).select_related(*BILL_RELATED).order_by("-opened_on", "-pk")


def is_collector(user: User) -> bool:
    """The user holds a collecting role somewhere (the 收费核定 menu entry)."""
    return bool(user.is_authenticated and user_roles(user) & COLLECT_ROLES)
