from django.urls import URLPattern

app_name = "briefings"
urlpatterns: list[URLPattern] = []
