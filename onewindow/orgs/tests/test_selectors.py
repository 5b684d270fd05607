import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation
from onewindow.orgs.selectors import display_id_number, display_phone, organisations_visible_to
from onewindow.orgs.services import organisation_create
from onewindow.orgs.tests.factories import RegionFactory, UserFactory, staff

# A random tree: node i's parent is one of the nodes before it (None makes another root).
trees = st.integers(min_value=1, max_value=25).flatmap(
    lambda size: st.tuples(*[st.none() if i == 0 else st.one_of(st.none(), st.integers(0, i - 1)) for i in range(size)])
)


def descendants(parents: tuple[int | None, ...], roots: set[int]) -> set[int]:
    seen = set()
    for node in range(len(parents)):
        walker: int | None = node
        while walker is not None:
            if walker in roots:
                seen.add(node)
                break
            walker = parents[walker]
    return seen


class TestScopingAcrossGeneratedTrees(HypothesisTestCase):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(parents=trees, data=st.data())
    def test_a_user_sees_exactly_their_organisations_and_those_below(self, parents, data):
        nodes: list[Organisation] = []
        for index, parent in enumerate(parents):
            nodes.append(
                organisation_create(
                    code=f"G{index}",
                    name=f"节点{index}",
                    level=Organisation.Level.DISTRICT,
                    parent=None if parent is None else nodes[parent],
                )
            )
        member_of = data.draw(st.sets(st.integers(0, len(parents) - 1), max_size=3))
        user = UserFactory()
        for index in member_of:
            staff_role = data.draw(st.sampled_from(list(Role)))
            user.memberships.create(organisation=nodes[index], role=staff_role)

        visible = set(organisations_visible_to(user).values_list("code", flat=True))

        assert visible == {f"G{i}" for i in descendants(parents, member_of)}


@pytest.mark.django_db
def test_sibling_codes_sharing_a_prefix_do_not_leak():
    city = RegionFactory(code="9901")
    district = RegionFactory(code="99011", parent=city, level=Organisation.Level.DISTRICT)
    lookalike = RegionFactory(code="990110", parent=city, level=Organisation.Level.DISTRICT)
    clerk = staff(Role.CLERK, district)

    visible = set(organisations_visible_to(clerk))

    assert district in visible
    assert lookalike not in visible
    assert city not in visible


@pytest.mark.django_db
def test_anonymous_and_roleless_users_see_nothing(django_user_model):
    from django.contrib.auth.models import AnonymousUser

    RegionFactory()
    assert not organisations_visible_to(AnonymousUser()).exists()
    assert not organisations_visible_to(UserFactory()).exists()


@pytest.mark.django_db
def test_personal_data_is_masked_unless_the_role_needs_it():
    region = RegionFactory()
    clerk = staff(Role.CLERK, region)
    supervisor = staff(Role.SUPERVISOR, region)

    assert display_id_number(clerk, "11010519491231002X") == "11010519491231002X"
    assert display_id_number(supervisor, "11010519491231002X") == "110105********002X"
    assert display_phone(supervisor, "13812345678") == "138****5678"
