from django.urls import path

from onewindow.ranking import views, views_warnings

app_name = "ranking"
urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("run/", views.run, name="run"),
    path("board/", views.board, name="board"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("rules/", views.rules, name="rules"),
    path("warnings/", views_warnings.warnings, name="warnings"),
    path("warnings/<int:warning_id>/acknowledge/", views_warnings.acknowledge, name="acknowledge"),
    path("warnings/<int:warning_id>/rectify/", views_warnings.rectify, name="rectify"),
    path("assessment/", views_warnings.assessment, name="assessment"),
    path("assessment/<int:score_id>/", views_warnings.assessment_detail, name="assessment_detail"),
]
