from django.urls import path

from onewindow.projects.views import excel, registry, roadmap

app_name = "projects"
urlpatterns = [
    path("", registry.project_list, name="list"),
    path("mine/", registry.my_projects, name="mine"),
    path("new/", registry.project_create, name="create"),
    path("export.xlsx", excel.project_export, name="export"),
    path("import/", excel.project_import, name="import"),
    path("roadmaps/<str:code>/", roadmap.roadmap_public_page, name="roadmap_public"),
    path("<int:project_id>/", registry.project_detail, name="detail"),
    path("<int:project_id>/edit/", registry.project_edit, name="edit"),
    path("<int:project_id>/phase/", registry.phase_change, name="phase"),
    path("<int:project_id>/plans/", registry.plan_set, name="plans"),
    path("<int:project_id>/team/", registry.team_edit, name="team"),
    path("<int:project_id>/roadmap/", roadmap.roadmap, name="roadmap"),
    path("<int:project_id>/roadmap/edit/", roadmap.roadmap_edit, name="roadmap_edit"),
    path("<int:project_id>/roadmap/publish/", roadmap.roadmap_publish, name="roadmap_publish"),
    path(
        "<int:project_id>/roadmap/milestones/<int:milestone_id>/actual/",
        roadmap.milestone_actual,
        name="milestone_actual",
    ),
    path(
        "<int:project_id>/roadmap/milestones/<int:milestone_id>/cases/",
        roadmap.milestone_link_case,
        name="milestone_link_case",
    ),
    path(
        "<int:project_id>/roadmap/milestones/<int:milestone_id>/cases/<int:case_id>/unlink/",
        roadmap.milestone_unlink_case,
        name="milestone_unlink_case",
    ),
]
