from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgencyConfig(AppConfig):
    name = "onewindow.agency"
    verbose_name = _("代办服务")

    def ready(self) -> None:
        from onewindow.agency.selectors import authorisations_visible_to
        from onewindow.agency.services import AUDIT_LABELS, TARGET_TYPE
        from onewindow.audit.labels import register_action_labels
        from onewindow.audit.registry import register_trail_access, visible_in

        register_action_labels(AUDIT_LABELS)
        # Whoever may see the authorisation sees its trail (grant, revocation).
        register_trail_access(TARGET_TYPE, visible_in(authorisations_visible_to))
