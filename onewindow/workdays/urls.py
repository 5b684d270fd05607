from django.urls import path

from onewindow.workdays import views

app_name = "workdays"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("add/", views.add, name="add"),
]
