from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "onewindow.projects"
    verbose_name = _("重点项目")

    def ready(self) -> None:
        from onewindow.audit.labels import register_action_labels
        from onewindow.projects.services.common import AUDIT_LABELS

        register_action_labels(AUDIT_LABELS)
