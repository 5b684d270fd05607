"""窗口代为申报: a clerk at the window registers the applicant (if new) and submits the case for them.

Both in one transaction: a refused submission (a form error, a file that fails its checks, a clerk of
another region) registers nobody, whether it came through the console page or the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from onewindow.cases.models import Case, Channel
from onewindow.cases.services.intake.submission import case_submit
from onewindow.catalogue.models import BundleVersion, MatterVersion
from onewindow.orgs.models import User
from onewindow.orgs.services import applicant_register


@dataclass(frozen=True)
class WindowApplicant:
    """Who the clerk files for, as told at the window: found by ID number / credit code, else registered."""

    kind: str
    name: str
    id_number: str
    phone: str = ""


@transaction.atomic
def case_submit_at_window(
    *,
    actor: User,
    applicant: WindowApplicant,
    matter_version: MatterVersion | None = None,
    bundle_version: BundleVersion | None = None,
    form_data: dict[str, Any],
    files: Mapping[str, UploadedFile],
    is_green_channel: bool = False,
    agent: User | None = None,
) -> Case:
    """Find or register the applicant, then submit at the window (`case_submit`, channel window)."""
    registered = applicant_register(
        kind=applicant.kind,
        name=applicant.name,
        id_number=applicant.id_number,
        phone=applicant.phone,
        actor=actor,
    )
    return case_submit(
        actor=actor,
        applicant=registered,
        matter_version=matter_version,
        bundle_version=bundle_version,
        form_data=form_data,
        files=files,
        channel=Channel.WINDOW,
        is_green_channel=is_green_channel,
        agent=agent,
    )
