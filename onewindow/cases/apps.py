from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "onewindow.cases"
    verbose_name = _("办件")

    def ready(self) -> None:
        from onewindow.audit.labels import register_action_labels
        from onewindow.cases import sources
        from onewindow.cases.selectors import TIMELINE_ACTION_LABELS

        sources.connect_signals()

        register_action_labels({f"cases.{action}": label for action, label in TIMELINE_ACTION_LABELS.items()})
