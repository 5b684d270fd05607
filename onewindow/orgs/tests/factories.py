from __future__ import annotations

from typing import Any

import factory
from stdnum.cn import ric, uscc

from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, Membership, Organisation, User


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.REGION
    level = Organisation.Level.CITY
    code = factory.Sequence(lambda n: f"R{n:05d}")
    name = factory.Sequence(lambda n: f"测试区{n}")
    parent = None

    @classmethod
    def _create(cls, model_class: type[Organisation], *args: Any, **kwargs: Any) -> Organisation:
        from onewindow.orgs.services import organisation_create

        return organisation_create(
            code=kwargs["code"], name=kwargs["name"], level=kwargs["level"], parent=kwargs.get("parent")
        )


class DepartmentFactory(RegionFactory):
    level = Organisation.Level.DEPARTMENT
    code = factory.Sequence(lambda n: f"D{n:05d}")
    name = factory.Sequence(lambda n: f"测试局{n}")
    parent = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    phone = "13812345678"
    password = factory.django.Password("pass-for-tests")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(RegionFactory)
    role = Role.CLERK


def staff(role: Role, organisation: Organisation, **kwargs: Any) -> User:
    user: User = UserFactory(**kwargs)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def valid_resident_id(prefix: str = "110105", birth: str = "19800101", sequence: str = "123") -> str:
    body = prefix + birth + sequence
    return body + ric.calc_check_digit(body + "0")  # stdnum reads the first 17 of 18


def valid_credit_code(body: str = "91110000600037341") -> str:
    return body + uscc.calc_check_digit(body)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Applicant

    kind = Applicant.Kind.PERSON
    name = factory.Sequence(lambda n: f"申请人{n}")
    id_number = factory.Sequence(lambda n: valid_resident_id(sequence=f"{n % 1000:03d}"))
    phone = "13900001111"
