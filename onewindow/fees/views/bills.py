"""The bill's pages: the departments' work list of fee checks (收费核定) and a check's page (correct a line
with a reason, confirm and seal), the payment notice (缴款通知书) as a page and a PDF, and the payer's list
(我的缴费). Thin: one selector or service each; the selectors scope (404 for what one may not see)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from onewindow import clock
from onewindow.errors import Conflict, InvalidFields, PermissionDenied
from onewindow.fees import selectors, services
from onewindow.fees.models import BillStatus, FeeCheckStatus
from onewindow.fees.printing import bill_pdf
from onewindow.web.http import domain_errors_as_http, request_user
from onewindow.workdays.selectors import work_calendar_for


@login_required
@domain_errors_as_http
def fee_checks(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not selectors.is_collector(user):
        raise PermissionDenied(gettext("收费核定仅对执收部门的工作人员开放"), code="fees_not_collecting_department")
    status = request.GET.get("status", FeeCheckStatus.OPEN)
    checks = selectors.checks_for_collector(user, status=status)[:200]
    return render(request, "fees/checks.html", {"checks": checks, "status": status, "statuses": FeeCheckStatus.choices})


@login_required
@domain_errors_as_http
def fee_check(request: HttpRequest, check_id: int) -> HttpResponse:
    user = request_user(request)
    check = selectors.check_get_for_user(user=user, check_id=check_id)
    context = {
        "check": check,
        "bill": check.bill,
        "lines": selectors.check_lines(check),
        "may_act": check.status == FeeCheckStatus.OPEN
        and check.bill.status == BillStatus.CHECKING
        and selectors.may_collect(user, check),
    }
    return render(request, "fees/check.html", context)


@login_required
@domain_errors_as_http
@require_POST
def fee_line_correct(request: HttpRequest, check_id: int, line_id: int) -> HttpResponse:
    user = request_user(request)
    check = selectors.check_get_for_user(user=user, check_id=check_id)
    if not check.lines.filter(pk=line_id).exists():
        raise selectors.line_not_found()
    computed = request.POST.get("computed_amount") or None
    try:
        services.fee_line_correct(
            actor=user,
            line_id=line_id,
            due_amount=request.POST.get("due_amount", ""),
            computed_amount=computed,
            reason=request.POST.get("reason", ""),
        )
    except (InvalidFields, Conflict) as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, gettext("金额已更正"))
    return redirect(reverse("fees:check", args=[check.pk]))


@login_required
@domain_errors_as_http
@require_POST
def fee_check_seal(request: HttpRequest, check_id: int) -> HttpResponse:
    user = request_user(request)
    check = selectors.check_get_for_user(user=user, check_id=check_id)
    try:
        services.fee_check_seal(actor=user, check_id=check.pk)
    except (InvalidFields, Conflict) as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, gettext("已确认并签章"))
    return redirect(reverse("fees:check", args=[check.pk]))


@login_required
@domain_errors_as_http
def fee_bill(request: HttpRequest, bill_id: int) -> HttpResponse:
    user = request_user(request)
    bill = selectors.bill_get_for_user(user=user, bill_id=bill_id)
    notice = selectors.bill_notice(bill, today=clock.today(), calendar=work_calendar_for(request))
    return render(
        request, "fees/bill.html", {"bill": bill, "notice": notice, "is_payer": not selectors.is_fee_staff(user)}
    )


@login_required
@domain_errors_as_http
def fee_bill_pdf(request: HttpRequest, bill_id: int) -> HttpResponse:
    user = request_user(request)
    bill = selectors.bill_get_for_user(user=user, bill_id=bill_id)
    if bill.status == BillStatus.CHECKING:
        return HttpResponse(gettext("缴款通知书尚未出具：各执收部门核定签章后才能下载。"), status=409)
    notice = selectors.bill_notice(bill, today=clock.today(), calendar=work_calendar_for(request))
    response = HttpResponse(bill_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{bill.number}.pdf"'
    return response


@login_required
def fees_mine(request: HttpRequest) -> HttpResponse:
    bills = selectors.bills_of_payer(request_user(request))[:200]
    return render(request, "fees/mine.html", {"bills": bills})
