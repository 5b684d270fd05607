from django.urls import path

from onewindow.analytics.figures import views

app_name = "analytics"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("demand/", views.demand, name="demand"),
    path("operations/", views.operations, name="operations"),
    path("<str:page>/export/", views.export, name="export"),
]
