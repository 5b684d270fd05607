"""The mobile app's channel (移动端申报): an online application sent with a bearer token (the app and
mini-program clients) is recorded as `app`; the portal's session as `online`; the window stays `window`.
The app counts as online handling: the applicant's own account, never a 窗口办理 matter."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from onewindow.api.auth import token_issue
from onewindow.audit.models import Event
from onewindow.cases.models import Case
from onewindow.cases.services import intake
from onewindow.cases.tests import factories as f
from onewindow.catalogue.models import OnlineLevel
from onewindow.errors import DomainError, PermissionDenied
from onewindow.orgs.models import User

pytestmark = pytest.mark.django_db

API = "/api/cases"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def app_client(user: User) -> tuple[Client, dict[str, str]]:
    """The app: no session, no CSRF cookie, a bearer token on every request."""
    return Client(enforce_csrf_checks=True), {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user).token}"}


def application(version_id: int, **fields: Any) -> dict[str, Any]:
    return {
        "channel": "online",
        "matter_version_id": version_id,
        "form_data": json.dumps(f.form_values(), ensure_ascii=False),
        "business_licence": f.pdf_file(),
        **fields,
    }


def test_an_online_submission_with_a_bearer_token_is_recorded_as_the_app_channel() -> None:
    version = f.published_matter()
    applicant = f.applicant_with_user()
    assert applicant.user is not None
    client, auth = app_client(applicant.user)

    response = client.post(f"{API}/submissions", application(version.pk), **auth)

    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert (case.channel, case.get_channel_display()) == ("app", "移动端申报")
    assert case.timeline.get(action="case_submit").note.startswith("移动端申报：收到申请材料")
    event = Event.objects.get(stream=f"case:{case.pk}", action="cases.case_submit")
    assert event.changes["channel"] == "app"
    seen = client.get(f"{API}/cases/{case.pk}", **auth).json()
    assert seen["channel"] == "app"


def test_the_portal_session_stays_online_and_a_clerks_token_at_the_window_stays_window() -> None:
    version = f.published_matter()
    applicant = f.applicant_with_user()
    portal = Client()
    portal.force_login(applicant.user)
    assert portal.post(f"{API}/submissions", application(version.pk)).status_code == 201
    clerk = f.clerk_for(version.matter.department.parent)
    client, auth = app_client(clerk)
    window = application(version.pk, channel="window", applicant_id=f.applicant_with_user().pk)
    assert client.post(f"{API}/submissions", window, **auth).status_code == 201
    assert sorted(Case.objects.values_list("channel", flat=True)) == ["online", "window"]


def test_a_draft_saved_in_the_app_is_an_app_case_and_the_portal_submits_it_online() -> None:
    version = f.published_matter()
    applicant = f.applicant_with_user()
    assert applicant.user is not None
    client, auth = app_client(applicant.user)
    draft = client.post(f"{API}/drafts", {"channel": "online", "matter_version_id": version.pk}, **auth)
    assert draft.status_code == 201, draft.content
    assert Case.objects.get().channel == "app"
    portal = Client()
    portal.force_login(applicant.user)
    submitted = portal.post(f"{API}/submissions", application(version.pk, draft_id=draft.json()["id"]))
    assert submitted.status_code == 201, submitted.content
    case = Case.objects.get()
    assert (case.status, case.channel) == ("submitted", "online")


def test_the_app_cannot_apply_for_a_window_only_matter() -> None:
    version = f.published_matter()
    version.online_level = OnlineLevel.WINDOW
    version.save(update_fields=["online_level"])
    applicant = f.applicant_with_user()
    assert applicant.user is not None
    client, auth = app_client(applicant.user)

    response = client.post(f"{API}/submissions", application(version.pk), **auth)

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "matter_window_only"
    assert not Case.objects.exists()


def test_the_app_channel_is_the_applicants_own_account_like_the_portal() -> None:
    version = f.published_matter()
    applicant, stranger = f.applicant_with_user(), f.applicant_with_user()
    with pytest.raises(PermissionDenied) as refused:
        intake.case_submit(
            actor=stranger.user, applicant=applicant, matter_version=version, form_data={}, files={}, channel="app"
        )
    assert refused.value.code == "not_applicant_user"
    with pytest.raises(DomainError) as unknown:
        intake.case_submit(
            actor=applicant.user, applicant=applicant, matter_version=version, form_data={}, files={}, channel="fax"
        )
    assert unknown.value.code == "invalid_channel"
    case = intake.case_submit(
        actor=applicant.user,
        applicant=applicant,
        matter_version=version,
        form_data=f.form_values(),
        files={},
        channel="app",
    )
    assert case.channel == "app" and case.status == "submitted"
