from __future__ import annotations

import factory
from django.db import transaction

from onewindow.audit.services import audit_record
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Membership, Organisation, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.REGION
    level = Organisation.Level.CITY
    code = factory.Sequence(lambda n: f"9{n:05d}")
    name = factory.Sequence(lambda n: f"测试区划{n}")
    parent = None
    path = factory.LazyAttribute(lambda o: f"{o.parent.path if o.parent else '/'}{o.code}/")
    depth = factory.LazyAttribute(lambda o: o.parent.depth + 1 if o.parent else 0)

    class Params:
        department = factory.Trait(kind=Organisation.Kind.DEPARTMENT, level=Organisation.Level.DEPARTMENT)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password("pw-for-tests-only")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """UserFactory(roles=[(Role.AUDIT_ADMIN, organisation)])"""
        for role, organisation in extracted or []:
            Membership.objects.create(user=self, organisation=organisation or OrganisationFactory(), role=role)


def staff(role: Role = Role.CLERK, organisation: Organisation | None = None) -> User:
    return UserFactory(roles=[(role, organisation or OrganisationFactory())])


def record(stream: str = "case:1", n: int = 1, **kwargs) -> list:
    """n events on one stream, each in its own transaction as services write them."""
    kwargs.setdefault("action", "cases.case_accepted")
    kwargs.setdefault("target_type", "cases.case")
    kwargs.setdefault("target_id", stream.split(":")[-1])
    events = []
    for _ in range(n):
        with transaction.atomic():
            events.append(audit_record(stream=stream, **kwargs))
    return events
