from django.urls import path

from onewindow.dispatch.views import office, problems, reports

app_name = "dispatch"
urlpatterns = [
    path("", office.home, name="home"),
    path("cycles/", office.cycle_list, name="cycles"),
    path("cycles/<int:region_id>/", office.cycle_save, name="cycle_save"),
    path("late/", office.late_reporters, name="late"),
    path("site-reports/missing/", office.site_reports_missing, name="site_reports_missing"),
    path("projects/<int:project_id>/reports/", reports.report_list, name="reports"),
    path("projects/<int:project_id>/reports/enter/", reports.report_enter, name="report_enter"),
    path("reports/<int:report_id>/", reports.report_detail, name="report"),
    path("reports/<int:report_id>/photos/", reports.report_photo_add, name="report_photos"),
    path("projects/<int:project_id>/site-reports/", reports.site_reports, name="site_reports"),
    path("site-reports/<int:report_id>/", reports.site_report_detail, name="site_report"),
    path("site-reports/<int:report_id>/photos/", reports.site_report_photo_add, name="site_report_photos"),
    path("photos/<int:photo_id>/", reports.photo_file, name="photo"),
    path("photos/<int:photo_id>/delete/", reports.photo_delete, name="photo_delete"),
    path("problems/", problems.board, name="problems"),
    path("problems/<int:problem_id>/", problems.problem_detail, name="problem"),
    path("problems/<int:problem_id>/<slug:action>/", problems.problem_action, name="problem_action"),
    path("projects/<int:project_id>/problems/new/", problems.problem_new, name="problem_new"),
]
