from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeesConfig(AppConfig):
    name = "onewindow.fees"
    verbose_name = _("收费")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from onewindow.cases.services.stage_hooks import on_stage_open, stage_gate
        from onewindow.fees import checks  # noqa: F401 (registers the deployment check)
        from onewindow.fees.selectors import stage_waits_for_payment
        from onewindow.fees.services import bill_on_stage_open

        on_stage_open(bill_on_stage_open)  # the charging stage opens its bill with its tasks
        stage_gate(stage_waits_for_payment)  # a stage that waits for payment ends once its bill is paid
