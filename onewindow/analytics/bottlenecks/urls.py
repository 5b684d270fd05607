from django.urls import path

from onewindow.analytics.bottlenecks import views

app_name = "analytics_bottlenecks"
urlpatterns = [
    path("", views.page, name="page"),
    path("export/", views.export, name="export"),
]
