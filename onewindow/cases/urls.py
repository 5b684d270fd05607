from django.urls import path

from onewindow.cases import views, views_commitment, views_console, views_deferral, views_portal

app_name = "cases"
urlpatterns = [
    path("mine/", views.my_cases, name="mine"),
    path("intake/", views.intake_queue, name="intake_queue"),
    path("tasks/", views.my_tasks, name="tasks"),
    path("supervision/", views.supervision, name="supervision"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/notice/", views.intake_notice, name="intake_notice"),
    *views_portal.urlpatterns,
    *views_commitment.urlpatterns,
    *views_console.urlpatterns,
    *views_deferral.urlpatterns,
]
