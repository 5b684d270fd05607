from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeesConfig(AppConfig):
    name = "onewindow.fees"
    verbose_name = _("收费")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from onewindow.audit.labels import register_action_labels
        from onewindow.audit.registry import register_trail_access, visible_in
        from onewindow.cases.services.endings import on_case_end
        from onewindow.cases.services.stage_hooks import on_stage_open, stage_gate
        from onewindow.catalogue.services.stage_hooks import on_stage_carried
        from onewindow.fees import checks  # noqa: F401 (registers the deployment check)
        from onewindow.fees.labels import AUDIT_LABELS
        from onewindow.fees.selectors import stage_waits_for_payment
        from onewindow.fees.selectors.bills import bills_visible_to
        from onewindow.fees.services import BILL_TARGET, bill_on_stage_open, bills_cancel_on_case_end, stage_fees_carry

        register_action_labels(AUDIT_LABELS)
        register_trail_access(BILL_TARGET, visible_in(bills_visible_to))  # a bill's trail: who sees the bill

        on_stage_open(bill_on_stage_open)  # the charging stage opens its bill with its tasks
        stage_gate(stage_waits_for_payment)  # a stage that waits for payment ends once its bill is paid
        on_case_end(bills_cancel_on_case_end)  # a case withdrawn or refused voids its unpaid bills
        on_stage_carried(stage_fees_carry)  # a bundle's next version charges what its stage charged
