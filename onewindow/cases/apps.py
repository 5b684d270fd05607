from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "onewindow.cases"
    verbose_name = _("办件")

    def ready(self) -> None:
        from onewindow.audit.labels import register_action_labels
        from onewindow.audit.registry import register_consistency_check, register_trail_access, visible_in
        from onewindow.cases import sources
        from onewindow.cases.consistency import NOUN, case_consistency_check
        from onewindow.cases.presentation import TIMELINE_ACTION_LABELS
        from onewindow.cases.selectors import cases_for_staff

        sources.connect_signals()

        register_action_labels({f"cases.{action}": label for action, label in TIMELINE_ACTION_LABELS.items()})
        # Staff who may see the case see its trail; its applicant sees the public timeline instead
        # (the trail also holds the internal steps, is_public=False).
        register_trail_access("cases.case", visible_in(cases_for_staff))
        register_consistency_check(NOUN, case_consistency_check)
