from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class OrgsConfig(AppConfig):
    name = "onewindow.orgs"
    verbose_name = _("组织与人员")

    def ready(self) -> None:
        from onewindow.audit.labels import register_action_labels

        register_action_labels(
            {"orgs.login_locked": gettext_noop("登录锁定"), "orgs.login_unlocked": gettext_noop("解除登录锁定")}
        )
