"""The report URLs, included in `fees.urls` (namespace `fees`)."""

from django.urls import path

from onewindow.fees.reports import views

urlpatterns = [
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("reconciliation/export/", views.reconciliation_export, name="reconciliation_export"),
    path("savings/", views.savings, name="savings"),
    path("savings/export/", views.savings_export, name="savings_export"),
    path("savings/list/", views.savings_list_page, name="savings_list"),
    path("savings/list/export/", views.savings_list_export, name="savings_list_export"),
]
