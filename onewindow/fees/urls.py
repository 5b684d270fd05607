from django.urls import path

from onewindow.fees import views

app_name = "fees"

urlpatterns = [
    path("", views.fee_catalogue, name="catalogue"),
    path("estimate/", views.fee_estimate, name="estimate"),
]
