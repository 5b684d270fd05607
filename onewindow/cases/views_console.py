"""Staff console actions: intake decisions, review decisions, the lead department's joint decision."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
