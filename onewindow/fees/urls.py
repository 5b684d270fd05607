from django.urls import path

from onewindow.fees import views

app_name = "fees"

urlpatterns = [
    path("", views.fee_catalogue, name="catalogue"),
    path("estimate/", views.fee_estimate, name="estimate"),
    path("policies/", views.fee_policies, name="policies"),
    path("policies/<int:policy_id>/end/", views.fee_policy_end, name="policy_end"),
    path("policies/<int:policy_id>/revise/", views.fee_policy_revise, name="policy_revise"),
]
