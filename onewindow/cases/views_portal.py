"""Applicant portal actions: apply, drafts, correction resubmission, withdraw."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
