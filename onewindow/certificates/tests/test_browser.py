"""End to end in Chromium, from 办结: the applicant (on a phone, 390 px) finds the certificate on the case
page, is asked to rate before the download and skips, gets the sealed PDF, and a stranger checks that
PDF on the public verification page (and the number its QR code carries) and is told it is genuine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from onewindow.certificates.tests.factories import issued_certificate
from onewindow.evaluation.models import Skip
from onewindow.web.tests.browser import ARTIFACTS, PHONE, Sessions

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_test_settings"),
]


def _fits_the_screen(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_from_the_decision_to_a_verified_certificate(live_server: Any, browser: Any, tmp_path: Path) -> None:
    certificate = issued_certificate()
    phone = Sessions(browser, live_server.url, viewport=PHONE)
    page = phone.page(certificate.applicant.user)
    page.goto(f"/cases/{certificate.case_id}/")
    assert certificate.number in page.content()
    _fits_the_screen(page)

    page.get_by_role("link", name="下载电子证照").click()
    page.wait_for_url("**/evaluation/cases/**")
    assert "自愿" in page.content()
    _fits_the_screen(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="跳过").click()
    pdf = tmp_path / "certificate.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert Skip.objects.filter(case_id=certificate.case_id).exists()

    stranger = browser.new_page(viewport=PHONE)
    stranger.goto(f"{live_server.url}/verify/")
    stranger.set_input_files("#file", str(pdf))
    stranger.get_by_role("button", name="核验", exact=True).click()
    assert "本平台签发的真实证照" in stranger.content()
    _fits_the_screen(stranger)
    stranger.goto(f"{live_server.url}/verify/{certificate.number}/")
    assert "有效" in stranger.locator(".ow-certificate-standing").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    stranger.screenshot(path=str(ARTIFACTS / "certificate-verify-phone.png"), full_page=True)
    stranger.close()
    phone.close()
