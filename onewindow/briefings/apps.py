from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefingsConfig(AppConfig):
    name = "onewindow.briefings"
    verbose_name = _("领导月报")

    def ready(self) -> None:
        from onewindow.audit.registry import found_by, register_trail_access
        from onewindow.briefings.selectors.campaigns import campaign_get_for_user
        from onewindow.briefings.selectors.reports import report_get_for_user
        from onewindow.briefings.selectors.starts import start_event_get_for_user

        # The target types of services/reports.py, starts.py and campaigns.py.
        register_trail_access("briefings.leaderreport", found_by(report_get_for_user))
        register_trail_access("projects.startevent", found_by(start_event_get_for_user))
        register_trail_access("projects.campaign", found_by(campaign_get_for_user))
