from django.urls import path

from onewindow.ranking.views import ranks, warnings

app_name = "ranking"
urlpatterns = [
    path("", ranks.ranking, name="ranking"),
    path("run/", ranks.run, name="run"),
    path("board/", ranks.board, name="board"),
    path("dashboard/", ranks.dashboard, name="dashboard"),
    path("rules/", ranks.rules, name="rules"),
    path("warnings/", warnings.warnings, name="warnings"),
    path("warnings/<int:warning_id>/acknowledge/", warnings.acknowledge, name="acknowledge"),
    path("warnings/<int:warning_id>/rectify/", warnings.rectify, name="rectify"),
    path("assessment/", warnings.assessment, name="assessment"),
    path("assessment/<int:score_id>/", warnings.assessment_detail, name="assessment_detail"),
]
