from django.urls import path

from onewindow.analytics.reforms import views

app_name = "analytics_reforms"
urlpatterns = [
    path("", views.reforms, name="list"),
    path("export/", views.reforms_export, name="list_export"),
    path("<int:reform_id>/", views.detail, name="detail"),
    path("<int:reform_id>/export/", views.detail_export, name="export"),
    path("<int:reform_id>/cases/", views.cases, name="cases"),
    path("<int:reform_id>/cases/export/", views.cases_export, name="cases_export"),
]
