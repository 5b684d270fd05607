from django.urls import path

from onewindow.agency import views

app_name = "agency"
urlpatterns = [
    path("", views.work_list, name="work_list"),
    path("authorisations/", views.authorisation_list, name="list"),
    path("authorisations/window/", views.window_new, name="window_new"),
    path("authorisations/grant/", views.grant_online, name="grant"),
    path("authorisations/<int:authorisation_id>/", views.authorisation_detail, name="detail"),
    path("authorisations/<int:authorisation_id>/revoke/", views.authorisation_revoke, name="revoke"),
    path("authorisations/<int:authorisation_id>/document/", views.authorisation_document, name="document"),
    path("projects/<int:project_id>/agent/", views.project_agent_assign, name="project_agent"),
]
