from django.urls import path

from onewindow.analytics.forecast import views

app_name = "analytics_forecast"
urlpatterns = [
    path("", views.forecast_page, name="forecast"),
    path("export/", views.export, name="export"),
]
