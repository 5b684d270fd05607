"""What a case's detail says about an approval on commitment and its consequences, and credit records:
the answers shared by the read API (`read.case_detail`) and `api/commitment.py`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from onewindow.cases.models import Case, CreditRecord, Revocation
from onewindow.cases.selectors import commitment as commitment_selectors
from onewindow.orgs.models import User


class CreditRecordOut(Schema):
    id: int
    applicant_id: int
    applicant_name: str
    case_id: int
    case_number: str
    recorded_on: dt.date
    kind: str = Field(description="false_commitment 虚假承诺")
    kind_label: str
    note: str


def credit_record_out(record: CreditRecord) -> dict[str, Any]:
    return {
        "id": record.pk,
        "applicant_id": record.applicant_id,
        "applicant_name": record.applicant.name,
        "case_id": record.case_id,
        "case_number": record.case.number,
        "recorded_on": record.recorded_on,
        "kind": record.kind,
        "kind_label": record.get_kind_display(),
        "note": record.note,
    }


class RevocationOut(Schema):
    decided_at: dt.datetime
    department: str
    is_false_commitment: bool
    reason: str
    legal_basis: str
    remedies: str = Field(description="救济途径：行政复议（60 日内）、行政诉讼（6 个月内）")


class RectificationOut(Schema):
    task_id: int = Field(description="报告整改完成时用：POST /api/cases/tasks/{task_id}/rectification-report")
    department: str
    finding: str = Field(description="核查发现的不符合承诺之处")
    due_on: dt.date = Field(description="整改期限")
    reported_at: dt.datetime | None = Field(description="报告整改完成的时间；未报告为 null")


def _revocation_out(revocation: Revocation | None) -> dict[str, Any] | None:
    if revocation is None:
        return None
    return {
        "decided_at": revocation.decided_at,
        "department": revocation.task.department.display_name,
        "is_false_commitment": revocation.is_false_commitment,
        "reason": revocation.reason,
        "legal_basis": revocation.legal_basis,
        "remedies": revocation.remedies,
    }


def case_commitment_out(user: User, case: Case) -> dict[str, Any]:
    """The case detail's part on what followed an approval on commitment (see read.case_detail)."""
    facts = commitment_selectors.case_commitment(case)
    return {
        "revocation": _revocation_out(facts.revocation),
        "rectifications": [
            {
                "task_id": r.task.pk,
                "department": r.task.department.display_name,
                "finding": r.finding,
                "due_on": r.due_on,
                "reported_at": r.reported_at,
            }
            for r in facts.rectifications
        ],
        "applicant_credit_records": [
            credit_record_out(record) for record in commitment_selectors.applicant_credit_warning(user=user, case=case)
        ],
    }
