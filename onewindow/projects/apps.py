from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "onewindow.projects"
    verbose_name = _("重点项目")

    def ready(self) -> None:
        from onewindow.audit.labels import register_action_labels
        from onewindow.audit.registry import register_trail_access, visible_in
        from onewindow.projects.selectors import projects_visible_to
        from onewindow.projects.services.common import AUDIT_LABELS, TARGET_TYPE

        register_action_labels(AUDIT_LABELS)
        register_trail_access(TARGET_TYPE, visible_in(projects_visible_to))
