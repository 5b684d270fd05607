from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "onewindow.dispatch"
    verbose_name = _("项目调度")
