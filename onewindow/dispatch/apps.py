from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "onewindow.dispatch"
    verbose_name = _("项目调度")

    def ready(self) -> None:
        from onewindow.audit.registry import found_by, register_trail_access
        from onewindow.dispatch.selectors.problems import problem_get_for_user
        from onewindow.dispatch.selectors.reports import (
            photo_get_for_user,
            progress_report_get_for_user,
            site_report_get_for_user,
        )

        register_trail_access("dispatch.Problem", found_by(problem_get_for_user))
        register_trail_access("dispatch.ProgressReport", found_by(progress_report_get_for_user))
        register_trail_access("dispatch.SiteReport", found_by(site_report_get_for_user))
        register_trail_access("dispatch.Photo", found_by(photo_get_for_user))
