from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from onewindow.api import api
from onewindow.api.root import not_found as api_not_found
from onewindow.orgs.login_throttle import LoginForm

admin.site.site_header = _("一窗受理政务服务平台 管理后台")
admin.site.site_title = _("onewindow 管理后台")
admin.site.index_title = _("系统管理")

urlpatterns = [
    path("api/", api.urls),
    re_path(r"^api/", api_not_found),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/login/", LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("catalogue/", include("onewindow.catalogue.urls")),
    path("audit/", include("onewindow.audit.urls")),
    path("workdays/", include("onewindow.workdays.urls")),
    path("cases/", include("onewindow.cases.urls")),
    path("projects/", include("onewindow.projects.urls")),
    path("agency/", include("onewindow.agency.urls")),
    path("halls/", include("onewindow.halls.urls")),
    path("tickets/", include("onewindow.tickets.urls")),
    path("fees/", include("onewindow.fees.urls")),
    path("", include("onewindow.certificates.urls")),
    path("evaluation/", include("onewindow.evaluation.urls")),
    path("dispatch/", include("onewindow.dispatch.urls")),
    path("ranking/", include("onewindow.ranking.urls")),
    path("briefings/", include("onewindow.briefings.urls")),
    path("jobs/", include("onewindow.jobs.urls")),
    path("analytics/forecast/", include("onewindow.analytics.forecast.urls")),
    path("analytics/bottlenecks/", include("onewindow.analytics.bottlenecks.urls")),
    path("analytics/report/", include("onewindow.analytics.report.urls")),
    path("analytics/reforms/", include("onewindow.analytics.reforms.urls")),
    path("analytics/cases/", include("onewindow.analytics.trace.urls")),
    path("analytics/", include("onewindow.analytics.figures.urls")),
    path("", include("onewindow.web.urls")),
]
