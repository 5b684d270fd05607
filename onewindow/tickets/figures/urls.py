from django.urls import path

from onewindow.tickets.figures import views

urlpatterns = [
    path("", views.dashboard, name="figures"),
    path("export/", views.export, name="figures_export"),
]
