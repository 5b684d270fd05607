from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "onewindow.tickets"
    verbose_name = _("取号叫号")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from onewindow.audit.labels import register_action_labels
        from onewindow.audit.registry import found_by, register_trail_access
        from onewindow.tickets.selectors import ticket_for_desk
        from onewindow.tickets.services import AUDIT_LABELS, TARGET

        register_action_labels(AUDIT_LABELS)
        # A ticket's trail: for the desk staff of its hall, as the ticket itself.
        register_trail_access(TARGET, found_by(ticket_for_desk))
