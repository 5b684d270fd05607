"""System checks: the deployment can compute its hash and sign its checkpoints."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from onewindow.audit import domain, signing


def algorithm_problem() -> str | None:
    algorithm = settings.AUDIT_HASH_ALGORITHM
    if domain.algorithm_is_available(algorithm):
        return None
    return (
        f"AUDIT_HASH_ALGORITHM={algorithm!r} cannot be computed on this deployment; "
        f"use one of {sorted(domain.ALGORITHMS)} (sm3 needs cryptography built with OpenSSL SM3)"
    )


@register(Tags.security)
def check_hash_algorithm(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problem = algorithm_problem()
    return [Error(problem, id="audit.E001")] if problem else []


@register(Tags.security)
def check_signing_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not signing.key_source_configured():
        if settings.DEBUG:
            return []
        return [
            Error(
                "audit checkpoints cannot be signed: neither AUDIT_SIGNING_KEY nor AUDIT_SIGNING_KEY_FILE is set",
                hint="Set AUDIT_SIGNING_KEY_FILE to an Ed25519 PEM (openssl genpkey -algorithm ed25519 -out key.pem).",
                id="audit.E002",
            )
        ]
    try:
        signing.get_signer()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="audit.E003")]
    return []


@register(Tags.security)
def check_retired_public_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        signing.retired_public_keys()
    except ImproperlyConfigured as exc:
        return [
            Error(
                str(exc),
                hint="List the public keys of retired signing keys (openssl pkey -in old-key.pem -pubout).",
                id="audit.E004",
            )
        ]
    return []
