from django.urls import path

from onewindow.fees.reports.urls import urlpatterns as report_urls
from onewindow.fees.views import bills, catalogue, payments, receipt_pdf

app_name = "fees"

urlpatterns = [
    path("", catalogue.fee_catalogue, name="catalogue"),
    path("estimate/", catalogue.fee_estimate, name="estimate"),
    path("policies/", catalogue.fee_policies, name="policies"),
    path("policies/<int:policy_id>/end/", catalogue.fee_policy_end, name="policy_end"),
    path("policies/<int:policy_id>/revise/", catalogue.fee_policy_revise, name="policy_revise"),
    path("checks/", bills.fee_checks, name="checks"),
    path("checks/<int:check_id>/", bills.fee_check, name="check"),
    path("checks/<int:check_id>/seal/", bills.fee_check_seal, name="check_seal"),
    path("checks/<int:check_id>/lines/<int:line_id>/correct/", bills.fee_line_correct, name="line_correct"),
    path("bills/<int:bill_id>/", bills.fee_bill, name="bill"),
    path("bills/<int:bill_id>/pdf/", bills.fee_bill_pdf, name="bill_pdf"),
    path("mine/", bills.fees_mine, name="mine"),
    path("bills/<int:bill_id>/pay/", payments.bill_pay, name="bill_pay"),
    path("bills/<int:bill_id>/receipts/", payments.bill_receipts, name="bill_receipts"),
    path("bills/<int:bill_id>/receipts/<int:receipt_id>.pdf", receipt_pdf.receipt_pdf, name="receipt_pdf"),
    path("bills/<int:bill_id>/refunds/", payments.bill_refunds, name="bill_refunds"),
    path("pay/simulated/<str:order_number>/", payments.pay_simulated, name="pay_simulated"),
    *report_urls,
]
