from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "onewindow.tickets"
    verbose_name = _("取号叫号")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from onewindow.audit.labels import register_action_labels
        from onewindow.tickets.services import AUDIT_LABELS

        register_action_labels(AUDIT_LABELS)
