from django.urls import path

from onewindow.halls import views

app_name = "halls"
urlpatterns = [
    path("book/", views.book, name="book"),
    path("bookings/<int:booking_id>/cancel/", views.cancel, name="cancel"),
    path("desk/", views.desk, name="desk"),
    path("desk/<int:hall_id>/", views.desk_day, name="desk_day"),
    path("desk/bookings/<int:booking_id>/arrive/", views.arrive, name="arrive"),
]
