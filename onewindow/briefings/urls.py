from django.urls import path

from onewindow.briefings.views import campaigns, reports, starts

app_name = "briefings"
urlpatterns = [
    path("", reports.report_list, name="reports"),
    path("generate/", reports.report_generate, name="generate"),
    path("<int:report_id>/", reports.report_detail, name="report"),
    path("<int:report_id>/send/", reports.report_send_view, name="send"),
    path("<int:report_id>/docx/", reports.report_file, {"kind": "docx"}, name="docx"),
    path("<int:report_id>/pdf/", reports.report_file, {"kind": "pdf"}, name="pdf"),
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/new/", campaigns.campaign_new, name="campaign_new"),
    path("campaigns/<int:group_id>/", campaigns.campaign_detail, name="campaign"),
    path("campaigns/<int:group_id>/members/", campaigns.campaign_members_add, name="campaign_members_add"),
    path(
        "campaigns/<int:group_id>/members/<int:project_id>/remove/",
        campaigns.campaign_member_remove,
        name="campaign_member_remove",
    ),
    path("starts/", starts.start_list, name="starts"),
    path("starts/new/", starts.start_new, name="start_new"),
    path("starts/<int:group_id>/", starts.start_detail, name="start"),
    path("starts/<int:group_id>/projects/", starts.start_projects_add, name="start_projects_add"),
    path(
        "starts/<int:group_id>/projects/<int:project_id>/remove/",
        starts.start_project_remove,
        name="start_project_remove",
    ),
]
