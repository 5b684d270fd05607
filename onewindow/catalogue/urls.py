from django.urls import path

from onewindow.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.matter_list, name="list"),
    path("matters/<str:code>/", views.matter_detail, name="matter"),
    path("bundles/<str:code>/", views.bundle_detail, name="bundle"),
]
