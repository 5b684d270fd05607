"""The electronic receipts of a paid bill (财政电子票据): one per collecting department and account, each
with its number, 校验码, amount, the lines' data and an SM2 signature over that data (the certificates'
data signer). Together they are the bill's 网上回执. Written inside the payment's transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from decimal import Decimal

from onewindow.audit.signing import encode_signature
from onewindow.certificates.document import keys
from onewindow.certificates.domain import canonical_json
from onewindow.fees.models import Bill, BillLine, Payment, Receipt


def receipt_number(bill: Bill, paid_at: dt.datetime, index: int) -> str:
    return f"PJ{paid_at:%Y%m%d}{bill.pk:08d}{index:02d}"


def check_code(payload: bytes) -> str:
    """The 校验码 printed on the receipt: six characters from its signed data."""
    return hashlib.sha256(payload).hexdigest()[:6].upper()


def receipts_issue(*, bill: Bill, payment: Payment, at: dt.datetime) -> list[Receipt]:
    """One receipt per (department, account) of the bill's lines that charge something."""
    lines = bill.lines.select_related("fee_check__department").order_by("fee_check__department__code", "item_code")
    return Receipt.objects.bulk_create(receipts_new(bill=bill, lines=list(lines), payment=payment, at=at))


def receipts_new(*, bill: Bill, lines: list[BillLine], payment: Payment, at: dt.datetime) -> list[Receipt]:
    """The receipts (not saved) of `lines`, ordered by department code and item code, each line with its
    check's department."""
    groups: dict[tuple[int, str, str], list[BillLine]] = defaultdict(list)
    for line in lines:
        if line.due_amount > 0:
            groups[(line.fee_check.department_id, line.account_number, line.account_name)].append(line)
    signer = keys.data_signer()
    receipts = []
    ordered = sorted(groups.items(), key=lambda kv: (kv[1][0].fee_check.department.code, kv[0][1]))
    for index, ((department_id, account_number, account_name), group) in enumerate(ordered, start=1):
        department = group[0].fee_check.department
        amount = sum((Decimal(line.due_amount) for line in group), Decimal(0))
        number = receipt_number(bill, at, index)
        data = {
            "number": number,
            "bill": bill.number,
            "case": bill.case.number,
            "payer": bill.payer.name,
            "department": department.code,
            "department_name": department.display_name,
            "account_name": account_name,
            "account_number": account_number,
            "amount": f"{amount:.2f}",
            "lines": [
                {
                    "code": line.item_code,
                    "name": line.item_name,
                    "kind": line.kind,
                    "amount": f"{line.due_amount:.2f}",
                    "policy": line.policy_document_number,
                }
                for line in group
            ],
            "order_number": payment.order_number,
            "provider_reference": payment.provider_reference,
            "issued_at": at.isoformat(),
        }
        payload = canonical_json(data)
        receipts.append(
            Receipt(
                bill=bill,
                department_id=department_id,
                account_name=account_name,
                account_number=account_number,
                number=number,
                check_code=check_code(payload),
                amount=amount,
                data=data,
                signature=encode_signature(signer.sign(payload)),
                issued_at=at,
            )
        )
    return receipts
