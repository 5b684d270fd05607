"""Background work of the certificates: sealing a certificate after its rows commit, and the hourly
refresh of the issuing clock's warning levels (Art. 44)."""

from __future__ import annotations

import logging

from django_tasks import task

from onewindow.certificates.services import certificate_seal, certificate_warning_levels_refresh
from onewindow.errors import DomainError
from onewindow.jobs.schedules import Schedule

logger = logging.getLogger(__name__)


def schedules() -> list[Schedule]:
    return [Schedule("certificates.warning_levels_refresh", "5 * * * *", certificate_warning_levels_refresh)]


@task()
def certificate_seal_job(certificate_id: int) -> None:
    """Render, seal and sign one pending certificate. One already issued (a retry, a second worker) is left."""
    try:
        certificate_seal(certificate_id=certificate_id)
    except DomainError as exc:
        logger.info("certificate %s not sealed: %s", certificate_id, exc.message)
