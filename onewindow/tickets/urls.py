from django.urls import include, path

from onewindow.tickets import views

app_name = "tickets"
urlpatterns = [
    path("", views.index, name="index"),
    path("figures/", include("onewindow.tickets.figures.urls")),
    path("kiosk/<int:hall_id>/", views.kiosk, name="kiosk"),
    path("kiosk/tickets/<int:ticket_id>/", views.printed, name="printed"),
    path("screen/<int:hall_id>/", views.screen, name="screen"),
    path("screen/<int:hall_id>/board/", views.screen_board, name="screen_board"),
    path("console/<int:window_id>/", views.console, name="console"),
    path("console/<int:window_id>/queue/", views.console_queue, name="console_queue"),
    path("console/<int:window_id>/<slug:action>/", views.console_action, name="console_action"),
    path("t/<str:token>/", views.follow, name="follow"),
    path("t/<str:token>/status/", views.follow_status, name="follow_status"),
]
