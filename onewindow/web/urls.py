from django.urls import path

from onewindow.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon),
]
