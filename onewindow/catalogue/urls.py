from django.http import HttpRequest, HttpResponse
from django.urls import path

app_name = "catalogue"


def placeholder(request: HttpRequest) -> HttpResponse:  # replaced by the app's real views
    return HttpResponse("")


urlpatterns = [path("", placeholder, name="list")]
