from django.urls import path

from onewindow.fees.reports.urls import urlpatterns as report_urls
from onewindow.fees.views import catalogue

app_name = "fees"

urlpatterns = [
    path("", catalogue.fee_catalogue, name="catalogue"),
    path("estimate/", catalogue.fee_estimate, name="estimate"),
    path("policies/", catalogue.fee_policies, name="policies"),
    path("policies/<int:policy_id>/end/", catalogue.fee_policy_end, name="policy_end"),
    path("policies/<int:policy_id>/revise/", catalogue.fee_policy_revise, name="policy_revise"),
    *report_urls,
]
