"""`onewindow bootstrap_security_admin USERNAME ORG_CODE`: the first security admin of a deployment."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from onewindow.errors import DomainError
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.passwords import validate_staff_password
from onewindow.orgs.services import security_admin_bootstrap


class Command(BaseCommand):
    help = "创建部署的第一位安全管理员（已有安全管理员时拒绝）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("organisation_code", help="所属组织编码，通常为市级根节点")

    def handle(self, *args: Any, username: str, organisation_code: str, **options: Any) -> None:
        organisation = Organisation.objects.filter(code=organisation_code).first()
        if organisation is None:
            raise CommandError(f"组织编码 {organisation_code} 不存在")
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            password = getpass.getpass("新用户的密码： ")
            try:
                validate_staff_password(password, user)
            except ValidationError as weak:
                raise CommandError("密码不符合要求：" + "".join(weak.messages)) from weak
            user.set_password(password)
            user.save()
        try:
            security_admin_bootstrap(user=user, organisation=organisation)
        except DomainError as refused:
            raise CommandError(refused.message) from refused
        self.stdout.write(f"{username} 已成为 {organisation.name} 的安全管理员")
