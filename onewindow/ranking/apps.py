from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RankingConfig(AppConfig):
    name = "onewindow.ranking"
    verbose_name = _("量化排位")

    def ready(self) -> None:
        from onewindow.audit.registry import found_by, granted_by, register_trail_access
        from onewindow.ranking.selectors import can_open_ranking, warning_get_for_user

        register_trail_access("ranking.warning", found_by(warning_get_for_user))
        # Rule versions and ranked periods are on the pages everyone who opens the ranking sees.
        register_trail_access("ranking.ruleversion", granted_by(can_open_ranking))
        register_trail_access("ranking.period", granted_by(can_open_ranking))
