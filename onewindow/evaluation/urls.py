from django.urls import path

from onewindow.evaluation.views import portal, staff, stats

app_name = "evaluation"
urlpatterns = [
    path("cases/<int:case_id>/rate/", portal.case_rate, name="case_rate"),
    path("mine/", portal.mine, name="mine"),
    path("ratings/<int:rating_id>/settle/", portal.settle, name="settle"),
    path("r/<str:token>/", portal.sms_rate, name="sms_rate"),
    path("kiosk/<str:token>/", portal.kiosk, name="kiosk"),
    path("window/", staff.window_start, name="window_start"),
    path("follow-ups/", staff.follow_up_list, name="follow_ups"),
    path("follow-ups/<int:follow_up_id>/", staff.follow_up_detail, name="follow_up"),
    path("follow-ups/<int:follow_up_id>/verify/", staff.follow_up_verify, name="follow_up_verify"),
    path("follow-ups/<int:follow_up_id>/answer/", staff.follow_up_answer, name="follow_up_answer"),
    path("follow-ups/<int:follow_up_id>/dispute/", staff.dispute_request, name="dispute_request"),
    path("disputes/<int:dispute_id>/decide/", staff.dispute_decide, name="dispute_decide"),
    path("statistics/", stats.statistics, name="statistics"),
    path("statistics.xlsx", stats.statistics_export, name="statistics_export"),
    path("public/", stats.public, name="public"),
]
