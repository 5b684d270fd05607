"""免提交: a material a valid certificate of the applicant stands for is taken from their wallet."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.cases.models import Case
from onewindow.cases.services.intake import reuse
from onewindow.cases.tests import factories as f
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant
from onewindow.orgs.tests.factories import staff

pytestmark = pytest.mark.django_db

LICENCE_PDF = b"%PDF-1.7\n% the licence held in the wallet\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def wallet() -> Iterator[dict[int, str]]:
    """A wallet holding, per applicant id, a valid 营业执照 with that number."""
    holders: dict[int, str] = {}

    def lookup(applicant: Applicant, kinds: Collection[str]) -> Mapping[str, reuse.WalletDocument]:
        number = holders.get(applicant.pk)
        if number is None or "营业执照" not in kinds:
            return {}
        return {"营业执照": reuse.WalletDocument(number, "营业执照", f"{number}.pdf", lambda: LICENCE_PDF)}

    reuse.register_wallet(lookup)
    yield holders
    reuse._wallets.remove(lookup)


def licence_matter() -> Any:
    version = f.published_matter()
    version.materials.filter(key="business_licence").update(certificate_type="营业执照")
    return version


def test_a_material_held_in_the_wallet_is_taken_from_it_and_recorded(wallet):
    version = licence_matter()
    applicant = f.applicant_with_user()
    wallet[applicant.pk] = "YCZZ-2026-000001"
    files = {key: upload for key, upload in f.required_files(version).items() if key != "business_licence"}

    case = f.submitted_case(matter_version=version, applicant=applicant, files=files)

    licence = case.materials.get(key="business_licence")
    assert licence.reused_certificate == "YCZZ-2026-000001"
    assert licence.file.read() == LICENCE_PDF
    assert case.timeline.filter(action="case_materials_reused", note__contains="YCZZ-2026-000001").exists()


def test_the_applicants_own_upload_wins_over_the_wallet(wallet):
    version = licence_matter()
    applicant = f.applicant_with_user()
    wallet[applicant.pk] = "YCZZ-2026-000001"

    case = f.submitted_case(matter_version=version, applicant=applicant)

    assert case.materials.get(key="business_licence").reused_certificate == ""
    assert not case.timeline.filter(action="case_materials_reused").exists()


def test_without_a_certificate_nothing_is_filled(wallet):
    version = licence_matter()
    files = {key: upload for key, upload in f.required_files(version).items() if key != "business_licence"}

    case = f.submitted_case(matter_version=version, files=files)

    assert not case.materials.get(key="business_licence").file


def test_the_apply_page_says_which_material_the_wallet_fills(wallet, client: Client):
    version = licence_matter()
    applicant = f.applicant_with_user()
    wallet[applicant.pk] = "YCZZ-2026-000001"
    client.force_login(applicant.user)

    page = client.get(reverse("cases:portal_apply_matter", args=[version.matter.code]))

    assert "免提交：证照库中有效的“营业执照”（YCZZ-2026-000001）将在提交时自动调取" in page.content.decode()


def test_the_supervision_board_counts_the_materials_saved(wallet, client: Client):
    version = licence_matter()
    applicant = f.applicant_with_user()
    wallet[applicant.pk] = "YCZZ-2026-000001"
    files = {key: upload for key, upload in f.required_files(version).items() if key != "business_licence"}
    case: Case = f.submitted_case(matter_version=version, applicant=applicant, files=files)
    supervisor = staff(Role.SUPERVISOR, case.region)
    client.force_login(supervisor)

    page = client.get(reverse("cases:supervision"))

    assert "已从申请人的证照库调取材料 1 份" in page.content.decode()
