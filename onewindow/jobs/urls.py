from django.urls import path

from onewindow.jobs import views

app_name = "jobs"
urlpatterns = [path("<str:job_id>/panel/", views.panel, name="panel")]
