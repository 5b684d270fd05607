from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "onewindow.evaluation"
    verbose_name = _("好差评")

    def ready(self) -> None:
        from onewindow.audit.labels import register_action_labels
        from onewindow.audit.registry import granted_by, register_trail_access, visible_in
        from onewindow.cases.services.endings import on_case_end
        from onewindow.evaluation.admin import ReasonTagAdmin
        from onewindow.evaluation.selectors import follow_ups_visible_to, ratings_visible_to_staff
        from onewindow.evaluation.services import (
            AUDIT_LABELS,
            FOLLOW_UP_TARGET,
            RATING_TARGET,
            TAG_TARGET,
            invite_on_case_end,
        )

        register_action_labels(AUDIT_LABELS)
        register_trail_access(RATING_TARGET, visible_in(ratings_visible_to_staff))
        register_trail_access(FOLLOW_UP_TARGET, visible_in(follow_ups_visible_to))
        register_trail_access(TAG_TARGET, granted_by(ReasonTagAdmin.opens_to))
        on_case_end(invite_on_case_end)
