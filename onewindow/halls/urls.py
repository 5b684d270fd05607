from django.urls import path

from onewindow.halls.views import book, desk, roster, settings

app_name = "halls"
urlpatterns = [
    path("book/", book.book, name="book"),
    path("book/<int:booking_id>/reschedule/", book.reschedule, name="reschedule"),
    path("bookings/<int:booking_id>/cancel/", book.cancel, name="cancel"),
    path("desk/", desk.desk, name="desk"),
    path("desk/<int:hall_id>/", desk.desk_day, name="desk_day"),
    path("desk/<int:hall_id>/book/", desk.book_for_caller, name="book_for_caller"),
    path("desk/bookings/<int:booking_id>/arrive/", desk.arrive, name="arrive"),
    path("desk/<int:hall_id>/settings/", settings.hall_settings, name="settings"),
    path("desk/<int:hall_id>/closures/", settings.closure_add, name="closure_add"),
    path("desk/<int:hall_id>/closures/<int:closure_id>/remove/", settings.closure_remove, name="closure_remove"),
    path("desk/<int:hall_id>/windows/", settings.windows, name="windows"),
    path("desk/windows/<int:window_id>/", settings.window_update, name="window_update"),
    path("desk/<int:hall_id>/roster/", roster.roster, name="roster"),
    path("desk/<int:hall_id>/roster/add/", roster.duty_add, name="duty_add"),
    path("desk/roster/<int:duty_id>/remove/", roster.duty_remove, name="duty_remove"),
]
