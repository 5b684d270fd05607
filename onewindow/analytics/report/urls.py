from django.urls import path, re_path

from onewindow.analytics.report import views

app_name = "analytics_report"
urlpatterns = [
    path("", views.page, name="page"),
    re_path(r"^(?P<month>\d{4}-\d{2})\.docx$", views.docx, name="docx"),
    re_path(r"^(?P<month>\d{4}-\d{2})\.pdf$", views.pdf, name="pdf"),
]
