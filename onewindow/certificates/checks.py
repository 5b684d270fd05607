"""Deployment check: production never seals with the development CA (docs/operations/certificates.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_development_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG or not settings.CERTIFICATES_DEV_KEYS_DIR:
        return []
    return [
        Warning(
            "certificates are sealed with a development CA generated in CERTIFICATES_DEV_KEYS_DIR: "
            "no reader outside this deployment trusts it",
            hint="Unset CERTIFICATES_DEV_KEYS_DIR; set CERTIFICATES_CA_CERT_FILE, CERTIFICATES_SEAL_DIR "
            "(or CERTIFICATES_PKCS11_MODULE) and CERTIFICATES_SM2_KEY_FILE.",
            id="certificates.W001",
        )
    ]
