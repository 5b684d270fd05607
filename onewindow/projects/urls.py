from django.urls import path

from onewindow.projects import views, views_excel, views_roadmap

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("mine/", views.my_projects, name="mine"),
    path("new/", views.project_create, name="create"),
    path("export.xlsx", views_excel.project_export, name="export"),
    path("import/", views_excel.project_import, name="import"),
    path("roadmaps/<str:code>/", views_roadmap.roadmap_public_page, name="roadmap_public"),
    path("<int:project_id>/", views.project_detail, name="detail"),
    path("<int:project_id>/edit/", views.project_edit, name="edit"),
    path("<int:project_id>/phase/", views.phase_change, name="phase"),
    path("<int:project_id>/plans/", views.plan_set, name="plans"),
    path("<int:project_id>/team/", views.team_edit, name="team"),
    path("<int:project_id>/roadmap/", views_roadmap.roadmap, name="roadmap"),
    path("<int:project_id>/roadmap/edit/", views_roadmap.roadmap_edit, name="roadmap_edit"),
    path("<int:project_id>/roadmap/publish/", views_roadmap.roadmap_publish, name="roadmap_publish"),
    path(
        "<int:project_id>/roadmap/milestones/<int:milestone_id>/actual/",
        views_roadmap.milestone_actual,
        name="milestone_actual",
    ),
    path(
        "<int:project_id>/roadmap/milestones/<int:milestone_id>/cases/",
        views_roadmap.milestone_link_case,
        name="milestone_link_case",
    ),
    path(
        "<int:project_id>/roadmap/milestones/<int:milestone_id>/cases/<int:case_id>/unlink/",
        views_roadmap.milestone_unlink_case,
        name="milestone_unlink_case",
    ),
]
