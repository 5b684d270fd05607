"""Passwords: staff accounts need strong ones, applicants keep Django's rules.

A staff account holds a role in an organisation (a Membership), or is being made one (the admin's
add form, `bootstrap_security_admin`). Its password has at least 12 characters, three of the four
kinds (lower case, upper case, digits, symbols), and does not contain the username. Django's own
validators (common passwords, likeness to the user's name and e-mail, at least 8 characters, not
all digits) apply to every account. Each rule applies wherever a password is set through a form;
the demo sets its accounts' password hashes directly.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import get_default_password_validators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from onewindow.orgs.selectors import user_roles

KINDS = (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())


def is_staff_account(user: Any) -> bool:
    return user is not None and user.pk is not None and bool(user_roles(user))


class StaffPasswordValidator:
    """An AUTH_PASSWORD_VALIDATORS entry that applies to staff accounts only."""

    def __init__(self, min_length: int = 12, min_kinds: int = 3) -> None:
        self.min_length = min_length
        self.min_kinds = min_kinds

    def validate(self, password: str, user: Any = None) -> None:
        if is_staff_account(user):
            self.check(password, user)

    def check(self, password: str, user: Any = None) -> None:
        """The staff rule, whether or not the user holds a role yet."""
        errors = []
        params = {"min_length": self.min_length, "min_kinds": self.min_kinds}
        if len(password) < self.min_length:
            message = _("工作人员账号的密码至少需要 %(min_length)d 个字符。")
            errors.append(ValidationError(message, code="staff_password_too_short", params=params))
        if sum(any(kind(c) for c in password) for kind in KINDS) < self.min_kinds:
            message = _("工作人员账号的密码须包含小写字母、大写字母、数字、符号中的至少 %(min_kinds)d 类。")
            errors.append(ValidationError(message, code="staff_password_too_simple", params=params))
        username = str(getattr(user, "username", "") or "")
        if len(username) >= 3 and username.casefold() in password.casefold():
            errors.append(ValidationError(_("密码不能包含用户名。"), code="staff_password_contains_username"))
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return _(
            "工作人员账号的密码至少 %(min_length)d 个字符，包含小写字母、大写字母、数字、符号中的至少"
            " %(min_kinds)d 类，且不能包含用户名。"
        ) % {"min_length": self.min_length, "min_kinds": self.min_kinds}


def validate_staff_password(password: str, user: Any) -> None:
    """The configured validators, the staff rule included even before the user holds a role."""
    errors: list[ValidationError] = []
    for validator in get_default_password_validators():
        try:
            if isinstance(validator, StaffPasswordValidator):
                validator.check(password, user)
            else:
                validator.validate(password, user)
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)
