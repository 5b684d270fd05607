from django.urls import path

from onewindow.analytics.trace import views

app_name = "analytics_trace"
urlpatterns = [
    path("", views.cases, name="cases"),
    path("export/", views.export, name="export"),
]
