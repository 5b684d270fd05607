"""A receipt (财政电子票据) as a PDF, drawn by WeasyPrint from an HTML template (fonts from fontconfig: the
Windows names first, then Noto CJK), for everyone who sees its bill. The PDF carries the data, the 校验码
and the SM2 signature; the signature's check is the page's and the API's (the stored data is the original)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML  # type: ignore[import-untyped]

from onewindow.errors import NotFound
from onewindow.fees.selectors import payments as reads
from onewindow.web.http import domain_errors_as_http, request_user


@login_required
@domain_errors_as_http
def receipt_pdf(request: HttpRequest, bill_id: int, receipt_id: int) -> HttpResponse:
    bill = reads.payment_bill_get(request_user(request), bill_id)
    receipt = next((r for r in reads.bill_receipts(bill) if r.pk == receipt_id), None)
    if receipt is None:
        raise NotFound("未找到该电子票据", code="fees_receipt_not_found")
    context = {"bill": bill, "receipt": receipt, "signature_ok": reads.receipt_signature_ok(receipt)}
    pdf: bytes = HTML(string=render_to_string("fees/receipt_pdf.html", context)).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{receipt.number}.pdf"'
    return response
