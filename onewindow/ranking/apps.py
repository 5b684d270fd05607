from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RankingConfig(AppConfig):
    name = "onewindow.ranking"
    verbose_name = _("量化排位")
