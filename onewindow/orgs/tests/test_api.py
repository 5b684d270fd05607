"""/api/orgs/me: who the token or the session stands for, and for whom the account may file."""

import pytest

from onewindow.api.auth import token_issue
from onewindow.orgs.models import Applicant
from onewindow.orgs.tests.factories import PersonFactory, UserFactory, valid_credit_code

pytestmark = pytest.mark.django_db


def test_an_applicants_account_learns_for_whom_it_may_file_with_id_numbers_masked(client):
    user = UserFactory()
    person = PersonFactory(user=user)
    enterprise = PersonFactory(
        user=user, kind=Applicant.Kind.ENTERPRISE, name="云川晓雯科技有限公司", id_number=valid_credit_code()
    )
    PersonFactory()  # someone else's

    response = client.get("/api/orgs/me", HTTP_AUTHORIZATION=f"Bearer {token_issue(user).token}")

    assert response.status_code == 200
    applicants = response.json()["applicants"]
    assert [(a["id"], a["kind"], a["name"]) for a in applicants] == [
        (person.pk, "person", person.name),
        (enterprise.pk, "enterprise", enterprise.name),
    ]
    assert applicants[0]["id_number"] != person.id_number
    assert applicants[0]["id_number"][:6] == person.id_number[:6] and "*" in applicants[0]["id_number"]
