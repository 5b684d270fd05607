"""The pages of a bill's money: the payer's pay button (`/fees/bills/<id>/pay/`), the simulated provider's
page (`/fees/pay/simulated/<order>/`: 模拟支付成功 / 模拟支付失败, posting a signed callback to the same
service as the callback endpoint), the 网上回执 (every receipt of the bill, each with the check of its
signature) and the department head's refunds page. Who sees a bill: `selectors.payments`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from onewindow.cases.selectors.access import is_staff
from onewindow.errors import DomainError, PermissionDenied
from onewindow.fees import services
from onewindow.fees.models import BillStatus
from onewindow.fees.payments import Outcome, simulated
from onewindow.fees.selectors import is_fee_staff
from onewindow.fees.selectors import payments as reads
from onewindow.web.http import domain_errors_as_http, refusal_status, request_user


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def bill_pay(request: HttpRequest, bill_id: int) -> HttpResponse:
    user = request_user(request)
    bill = reads.payment_bill_get(user, bill_id)
    if not reads.may_pay(user, bill):
        raise PermissionDenied(gettext("只有缴款人或其代办员可以缴款"))
    context: dict[str, Any] = {"bill": bill, "payable": bill.status == BillStatus.ISSUED}
    if request.method == "POST":
        try:
            started = services.payment_start(actor=user, bill_id=bill.pk)
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            context["error"] = exc.message
            return render(request, "fees/pay.html", context, status=refusal_status(exc))
        return redirect(started.order.pay_url)
    return render(request, "fees/pay.html", context)


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def pay_simulated(request: HttpRequest, order_number: str) -> HttpResponse:
    """The simulated platform's cashier: the payer presses success or failure; a signed callback follows."""
    payment = reads.payment_order_get(request_user(request), order_number)
    if request.method == "POST":
        succeeded = request.POST.get("outcome") == "succeeded"
        try:
            signed = simulated.callback_sign(
                order_number=payment.order_number, amount=payment.amount, succeeded=succeeded
            )
            result = services.payment_callback(provider="simulated", body=signed.body, headers=signed.headers)
        except DomainError as exc:  # the simulated provider switched off meanwhile
            messages.error(request, exc.message)
            return redirect("fees:bill_pay", bill_id=payment.bill_id)
        if result.outcome in (Outcome.PAID, Outcome.ALREADY_PAID):
            messages.success(request, gettext("缴款成功，电子票据已开具。"))
            return redirect("fees:bill_receipts", bill_id=payment.bill_id)
        messages.warning(request, gettext("支付未成功，可重新缴款。"))
        return redirect("fees:bill_pay", bill_id=payment.bill_id)
    return render(request, "fees/pay_simulated.html", {"payment": payment, "bill": payment.bill})


@login_required
@domain_errors_as_http
def bill_receipts(request: HttpRequest, bill_id: int) -> HttpResponse:
    bill = reads.payment_bill_get(request_user(request), bill_id)
    receipts = [(receipt, reads.receipt_signature_ok(receipt)) for receipt in reads.bill_receipts(bill)]
    context = {"bill": bill, "receipts": receipts, "is_payer": not is_fee_staff(request_user(request))}
    return render(request, "fees/receipts.html", context)


class RefundForm(forms.Form):
    line = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.DecimalField(label=_("退款金额（元）"), min_value=0, max_digits=16, decimal_places=2)
    reason = forms.CharField(label=_("退款理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def bill_refunds(request: HttpRequest, bill_id: int) -> HttpResponse:
    """Staff: the bill's payments and refunds; a department head refunds a line of their department."""
    user = request_user(request)
    bill = reads.payment_bill_get(user, bill_id)
    if not is_staff(user):
        raise PermissionDenied(gettext("退款由执收部门办理"))
    status, error, failed_line = 200, "", None
    if request.method == "POST":
        form = RefundForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.refund_create(actor=user, line_id=data["line"], amount=data["amount"], reason=data["reason"])
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                status, error, failed_line = refusal_status(exc), exc.message, data["line"]
            else:
                messages.success(request, gettext("退款已办理。"))
                return redirect("fees:bill_refunds", bill_id=bill.pk)
        else:
            status, error = 422, gettext("请填写退款金额和退款理由。")
            failed_line = form.cleaned_data.get("line")
        bill.refresh_from_db()
    context = {
        "bill": bill,
        "lines": reads.refundable_lines(user, bill),
        "payments": reads.bill_payments(bill),
        "refunds": reads.bill_refunds(bill),
        "paid": bill.status in (BillStatus.PAID, BillStatus.REFUNDED),
        "error": error,
        "failed_line": failed_line,
    }
    return render(request, "fees/refunds.html", context, status=status)
