from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class OrgsConfig(AppConfig):
    name = "onewindow.orgs"
    verbose_name = _("组织与人员")

    def ready(self) -> None:
        from onewindow.audit.registry import granted_by, register_trail_access
        from onewindow.orgs.admin import ApplicantAdmin, UserAdmin

        # A user's and an applicant's trails: whoever may open their admin pages sees them.
        register_trail_access("orgs.user", granted_by(UserAdmin.opens_to))
        register_trail_access("orgs.applicant", granted_by(ApplicantAdmin.opens_to))

        from onewindow.audit.labels import register_action_labels

        register_action_labels(
            {"orgs.login_locked": gettext_noop("登录锁定"), "orgs.login_unlocked": gettext_noop("解除登录锁定")}
        )
