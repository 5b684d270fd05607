"""A bill's money (mounted at /api/fees/): start a payment (the payer or their agent), the providers'
callbacks (public: verified by their signature, CSRF-exempt, answered as the provider expects), the
receipts of a bill (网上回执, each with the check of its signature) and a department head's refunds.
Who sees a bill: `fees.selectors.payments` (others: 404)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from onewindow.api.auth import api_user
from onewindow.api.schemas import error_responses
from onewindow.fees import services
from onewindow.fees.payments import Outcome
from onewindow.fees.selectors import payments as reads

router = Router()

REFUSALS = {
    Outcome.AMOUNT_MISMATCH: ("fees_callback_amount_mismatch", "支付金额与订单金额不符，已记录"),
    Outcome.UNKNOWN_ORDER: ("fees_callback_unknown_order", "未找到该支付订单，已记录"),
}


class FeesPaymentStartIn(Schema):
    provider: str = Field("simulated", description="支付渠道", max_length=40)


class FeesPaymentOut(Schema):
    order_number: str = Field(description="支付订单号")
    provider: str
    amount: Decimal = Field(description="支付金额（元）")
    status: str
    pay_url: str = Field(description="去支付的页面")
    code: str = Field(description="支付码（扫码或输入）")


class FeesReceiptLineOut(Schema):
    code: str
    name: str
    amount: str


class FeesReceiptOut(Schema):
    number: str = Field(description="票据号码")
    check_code: str = Field(description="校验码")
    department: str = Field(description="执收部门")
    account_name: str
    account_number: str
    amount: Decimal
    issued_at: dt.datetime
    lines: list[FeesReceiptLineOut]
    data: dict[str, Any] = Field(description="签名所覆盖的票据内容（规范化 JSON）")
    signature: str = Field(description="SM2 签名（Base64）")
    signature_valid: bool = Field(description="签名验证是否通过")


class FeesReceiptListOut(Schema):
    bill: str
    status: str
    paid_at: dt.datetime | None
    receipts: list[FeesReceiptOut]
    signer_key: str = Field(description="验签公钥（SM2，PEM）")


class FeesRefundIn(Schema):
    amount: Decimal = Field(description="退款金额（元）", gt=0, max_digits=16, decimal_places=2)
    reason: str = Field(description="退款理由", min_length=1, max_length=500)


class FeesRefundOut(Schema):
    number: str
    line_id: int
    amount: Decimal
    reason: str
    bill_status: str
    refunded_total: Decimal


@router.post(
    "/bills/{bill_id}/payments",
    response={201: FeesPaymentOut, **error_responses(403, 404, 409)},
    summary="缴款人发起缴款",
)
def payment_start(request: HttpRequest, bill_id: int, payload: FeesPaymentStartIn) -> Status[dict[str, Any]]:
    started = services.payment_start(actor=api_user(request), bill_id=bill_id, provider=payload.provider)
    payment = started.payment
    return Status(
        201,
        {
            "order_number": payment.order_number,
            "provider": payment.provider,
            "amount": payment.amount,
            "status": payment.status,
            "pay_url": request.build_absolute_uri(started.order.pay_url),
            "code": started.order.code,
        },
    )


@router.post(
    "/callbacks/{provider}",
    response={200: dict[str, Any], **error_responses(400, 404, 422)},
    auth=None,
    summary="支付渠道的支付通知（公开，验签）",
)
def payment_callback(request: HttpRequest, provider: str) -> Status[dict[str, Any]]:
    result = services.payment_callback(provider=provider, body=request.body, headers=dict(request.headers))
    if result.outcome in REFUSALS:
        code, message = REFUSALS[result.outcome]
        return Status(422, {"code": code, "message": message, "errors": []})
    return Status(200, dict(result.answer))


@router.get("/bills/{bill_id}/receipts", response={200: FeesReceiptListOut, **error_responses(404)}, summary="网上回执")
def bill_receipts(request: HttpRequest, bill_id: int) -> dict[str, Any]:
    bill = reads.payment_bill_get(api_user(request), bill_id)
    receipts = [
        {
            "number": receipt.number,
            "check_code": receipt.check_code,
            "department": receipt.data.get("department_name", ""),
            "account_name": receipt.account_name,
            "account_number": receipt.account_number,
            "amount": receipt.amount,
            "issued_at": receipt.issued_at,
            "lines": receipt.data.get("lines", []),
            "data": receipt.data,
            "signature": receipt.signature,
            "signature_valid": reads.receipt_signature_ok(receipt),
        }
        for receipt in reads.bill_receipts(bill)
    ]
    return {
        "bill": bill.number,
        "status": bill.status,
        "paid_at": bill.paid_at,
        "receipts": receipts,
        "signer_key": reads.receipt_signature_key(),
    }


@router.post(
    "/lines/{line_id}/refunds",
    response={201: FeesRefundOut, **error_responses(403, 404, 409, 422)},
    summary="执收部门退款（全额或部分）",
)
def refund_create(request: HttpRequest, line_id: int, payload: FeesRefundIn) -> Status[dict[str, Any]]:
    refund = services.refund_create(
        actor=api_user(request), line_id=line_id, amount=payload.amount, reason=payload.reason
    )
    bill = refund.bill
    return Status(
        201,
        {
            "number": refund.number,
            "line_id": refund.line_id,
            "amount": refund.amount,
            "reason": refund.reason,
            "bill_status": bill.status,
            "refunded_total": bill.refunded_total,
        },
    )
