"""A clerk books for a caller (电话或现场代约): the caller is found by resident ID number, as the window's
intake finds an applicant (`orgs.services.applicant_register`), else registered.

A booking belongs to an account (its SMS, its limits, its no-shows): a caller registered at the desk
who has no online account gets one that cannot sign in (no password), linked to their Applicant, so
the confirmation and the reminder reach their phone. Registration and booking are one transaction:
a refused booking registers nobody.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction

from onewindow.audit.services import audit_record
from onewindow.errors import DomainError, InvalidFields
from onewindow.halls import selectors
from onewindow.halls.domain import is_mobile_phone
from onewindow.halls.models import Booking
from onewindow.halls.services.bookings import booking_create
from onewindow.orgs.models import Applicant, User
from onewindow.orgs.services import applicant_clean_id, applicant_register


def _caller_errors(id_number: str, name: str, phone: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    try:
        applicant_clean_id(Applicant.Kind.PERSON, id_number)
    except DomainError as invalid:
        errors["id_number"] = invalid.message
    if not name.strip():
        errors["name"] = "请填写来电人姓名。"
    if phone and not is_mobile_phone(phone):
        errors["phone"] = "请填写 11 位手机号码。"
    return errors


def _account_for(applicant: Applicant, actor: User) -> User:
    """The applicant's account, or a new one that cannot sign in (it receives the booking's SMS)."""
    if applicant.user_id is not None:
        return applicant.user  # type: ignore[return-value]
    user = User(username=f"caller-{applicant.pk}-{secrets.token_hex(3)}", name=applicant.name, phone=applicant.phone)
    user.set_unusable_password()
    user.save()
    applicant.user = user
    applicant.save(update_fields=["user"])
    audit_record(
        stream=f"applicant:{applicant.pk}",
        action="halls.caller_account_created",
        target_type="orgs.user",
        target_id=user.pk,
        actor=actor,
    )
    return user


@transaction.atomic
def booking_create_for_caller(
    *,
    actor: User,
    hall_id: int,
    category_id: int,
    on: dt.date,
    starts: dt.time,
    id_number: str,
    name: str,
    phone: str = "",
    now: dt.datetime | None = None,
) -> Booking:
    """Find or register the caller, then book for them (channel "clerk", not subject to the online pause)."""
    selectors.hall_get_for_staff(actor, hall_id, selectors.DESK_ROLES)
    name, phone = name.strip(), phone.strip()
    errors = _caller_errors(id_number, name, phone)
    if errors:
        raise InvalidFields("请按提示修改来电人信息。", errors=errors, code="halls_caller_invalid")
    applicant = applicant_register(kind=Applicant.Kind.PERSON, name=name, id_number=id_number, phone=phone, actor=actor)
    person = _account_for(applicant, actor)
    return booking_create(
        actor=actor,
        person=person,
        hall_id=hall_id,
        category_id=category_id,
        on=on,
        starts=starts,
        channel="clerk",
        now=now,
    )
