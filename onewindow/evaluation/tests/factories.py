"""A small world for the evaluation tests: a district with two departments, an ended case of the
applicant reviewed by the first, a hall with a window, and staff of every kind (another district's too)."""

from __future__ import annotations

from dataclasses import dataclass

from onewindow.cases.domain import CaseStatus
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import applicant_with_user, clerk_for, department, region, reviewer_for
from onewindow.cases.tests.test_permissions import make_case
from onewindow.evaluation.domain import DEFAULT_REASON_TAGS, Channel
from onewindow.evaluation.models import FollowUp, Rating, ReasonTag
from onewindow.evaluation.services import Given, case_rate
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, Hall, Organisation, User, Window
from onewindow.orgs.tests.factories import staff

USERS = [
    "anonymous",
    "applicant",
    "other_applicant",
    "clerk",
    "reviewer",
    "other_reviewer",
    "supervisor",
    "other_district",
]


@dataclass
class World:
    district: Organisation
    department: Organisation  # reviewed the case
    other_department: Organisation
    applicant: Applicant
    case: Case  # completed
    window: Window
    users: dict[str, User | None]

    def user(self, who: str) -> User:
        user = self.users[who]
        assert user is not None
        return user


def ended_case(applicant: Applicant, department: Organisation, status: str = CaseStatus.COMPLETED) -> Case:
    case, _task = make_case(applicant=applicant, department=department, status=status, task_status="approved")
    return case


def reason_tags() -> None:
    """The seeded tags (a transactional test's flush empties the table the migration seeded)."""
    for order, (code, label) in enumerate(DEFAULT_REASON_TAGS, start=1):
        ReasonTag.objects.get_or_create(code=code, defaults={"label": label, "order": order})


def build_world() -> World:
    reason_tags()
    district, other_district = region(), region()
    home, other = department(district), department(district)
    applicant = applicant_with_user()
    assert applicant.user is not None
    applicant.user.name, applicant.user.phone = "张三丰", "13912345678"
    applicant.user.save(update_fields=["name", "phone"])
    case = ended_case(applicant, home)
    hall = Hall.objects.create(region=district, name="测试政务服务中心")
    window = Window.objects.create(hall=hall, number="8", name="不动产登记", department=home)
    other_applicant = applicant_with_user()
    users: dict[str, User | None] = {
        "anonymous": None,
        "applicant": applicant.user,
        "other_applicant": other_applicant.user,
        "clerk": clerk_for(district),
        "reviewer": reviewer_for(home),
        "other_reviewer": reviewer_for(other),
        "supervisor": staff(Role.SUPERVISOR, district),
        "other_district": staff(Role.SUPERVISOR, other_district),
    }
    return World(district, home, other, applicant, case, window, users)


def bad_rating(world: World, *, may_contact: bool = False, comment: str = "窗口让我跑了三次") -> Rating:
    ratings = case_rate(
        case=world.case,
        rater=world.applicant.user,
        channel=Channel.PORTAL,
        given=Given(level=1, tags=("repeated_visits",), comment=comment, may_contact=may_contact),
    )
    return ratings[0]


def follow_up_of(rating: Rating) -> FollowUp:
    return FollowUp.objects.get(rating=rating)
