from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "onewindow.certificates"
    verbose_name = _("电子证照")

    def ready(self) -> None:
        from onewindow.audit.labels import register_action_labels
        from onewindow.audit.registry import register_trail_access, visible_in
        from onewindow.audit.sm2 import register_sm2_verifier
        from onewindow.cases.services.endings import on_case_end
        from onewindow.cases.services.intake.reuse import register_wallet
        from onewindow.certificates import checks  # noqa: F401 (registers the deployment check)
        from onewindow.certificates.selectors import certificates_for_staff
        from onewindow.certificates.services import AUDIT_LABELS, TARGET_TYPE, certificates_on_case_end
        from onewindow.certificates.wallet import wallet_lookup

        register_action_labels(AUDIT_LABELS)
        register_trail_access(TARGET_TYPE, visible_in(certificates_for_staff))
        register_sm2_verifier()
        on_case_end(certificates_on_case_end)
        register_wallet(wallet_lookup)  # 免提交: the applicant's valid certificates fill materials
