from django.urls import path

from onewindow.fees.reports.urls import urlpatterns as report_urls
from onewindow.fees.views import catalogue, payments, receipt_pdf

app_name = "fees"

urlpatterns = [
    path("", catalogue.fee_catalogue, name="catalogue"),
    path("estimate/", catalogue.fee_estimate, name="estimate"),
    path("policies/", catalogue.fee_policies, name="policies"),
    path("policies/<int:policy_id>/end/", catalogue.fee_policy_end, name="policy_end"),
    path("policies/<int:policy_id>/revise/", catalogue.fee_policy_revise, name="policy_revise"),
    path("bills/<int:bill_id>/pay/", payments.bill_pay, name="bill_pay"),
    path("bills/<int:bill_id>/receipts/", payments.bill_receipts, name="bill_receipts"),
    path("bills/<int:bill_id>/receipts/<int:receipt_id>.pdf", receipt_pdf.receipt_pdf, name="receipt_pdf"),
    path("bills/<int:bill_id>/refunds/", payments.bill_refunds, name="bill_refunds"),
    path("pay/simulated/<str:order_number>/", payments.pay_simulated, name="pay_simulated"),
    *report_urls,
]
