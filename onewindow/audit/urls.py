from django.urls import path

from onewindow.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.log, name="log"),
    path("checkpoints/", views.checkpoints, name="checkpoints"),
    path("verify/", views.verify, name="verify"),
    path("trail/<str:target_type>/<str:target_id>/", views.trail, name="trail"),
]
