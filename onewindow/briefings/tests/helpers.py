"""A small key-project world for the briefings tests, written as rows (the dispatch and ranking
write sides are not what these tests are about).

    world()                 city > two districts; a leader holding two projects in the home
                            district (one lagging), another leader in the other district, offices,
                            a secretary; plans and reports up to October 2026
    report_row(...)         a stored LeaderReport with small files, without rendering anything
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from onewindow.briefings.models import LeaderReport
from onewindow.dispatch.models import Problem, ProgressReport
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.tests.factories import UserFactory
from onewindow.projects.domain import TeamRole
from onewindow.projects.models import Milestone, Project
from onewindow.projects.tests.factories import ProjectFactory, city, district, leader, office_for, plan, team_member
from onewindow.ranking.models import ProjectRank, RuleVersion

OCTOBER = dt.date(2026, 10, 1)


@dataclass
class World:
    city: Organisation
    home: Organisation
    other: Organisation
    project: Project  # held by `leader`, on schedule
    lagging: Project  # held by `leader`, classed lagging in October
    other_project: Project  # held by `other_leader`, in the other district
    users: dict[str, User | None]

    @property
    def leader(self) -> User:
        user = self.users["leader"]
        assert user is not None
        return user

    @property
    def other_leader(self) -> User:
        user = self.users["other_leader"]
        assert user is not None
        return user

    @property
    def office(self) -> User:
        user = self.users["office"]
        assert user is not None
        return user


def progress(project: Project, period_end: dt.date, in_period: str, ytd: str, by: User) -> ProgressReport:
    return ProgressReport.objects.create(
        project=project,
        period_start=period_end.replace(day=1),
        period_end=period_end,
        invested_in_period=Decimal(in_period),
        invested_year_to_date=Decimal(ytd),
        progress_note="主体结构施工",
        submitted_by=by,
    )


def rank(project: Project, period: dt.date, rank_class: str) -> ProjectRank:
    rules, _created = RuleVersion.objects.get_or_create(
        number=1, defaults={"effective_from": dt.date(2020, 1, 1), "rules": {}}
    )
    return ProjectRank.objects.create(
        period=period,
        project=project,
        district=project.district,
        rank_class=rank_class,
        reason="on_schedule",
        phase=project.phase,
        annual_plan=Decimal(0),
        invested_year_to_date=Decimal(0),
        invested_in_period=Decimal(0),
        elapsed_pct=Decimal("83.33"),
        rule_version=rules,
        computed_at=timezone.now(),
    )


def world() -> World:
    the_city = city()
    home, other = district(the_city), district(the_city)
    the_leader, other_leader = leader(the_city), leader(the_city)
    the_leader.name, other_leader.name = "张建国", "李卫东"
    the_leader.phone, the_leader.email = "13900001111", "zhang@example.gov.cn"
    the_leader.save(update_fields=["name", "phone", "email"])
    other_leader.save(update_fields=["name"])
    project = ProjectFactory(district=home, name="滨江新材料产业园", total_investment=Decimal("150000"))
    lagging = ProjectFactory(district=home, name="城东污水处理厂提标改造", total_investment=Decimal("8000"))
    other_project = ProjectFactory(district=other, name="西城物流园", total_investment=Decimal("30000"))
    for held, holder in ((project, the_leader), (lagging, the_leader), (other_project, other_leader)):
        team_member(held, TeamRole.LEADER, holder)
    secretary = team_member(project, TeamRole.SECRETARY)
    plan(project, 2026, "60000")
    plan(lagging, 2026, "5000")
    plan(other_project, 2026, "12000")
    reporter = UserFactory()
    progress(project, dt.date(2026, 9, 30), "5000", "45000", reporter)
    progress(project, dt.date(2026, 10, 31), "6000", "51000", reporter)
    progress(lagging, dt.date(2026, 10, 31), "200", "1000", reporter)
    progress(other_project, dt.date(2026, 10, 31), "1000", "9000", reporter)
    rank(project, OCTOBER, "normal")
    rank(lagging, OCTOBER, "lagging")
    Milestone.objects.create(
        project=project,
        position=1,
        kind="topping_out",
        name="主体封顶",
        duration_days=90,
        actual_on=dt.date(2026, 10, 18),
    )
    Problem.objects.create(
        project=lagging,
        category="land",
        title="管网迁改用地未落实",
        raised_by=reporter,
        raised_on=dt.date(2026, 9, 1),
        level="district",
        assigned_unit=home,
        due_on=dt.date(2026, 9, 30),
    )
    users: dict[str, User | None] = {
        "anonymous": None,
        "stranger": UserFactory(),
        "other_office": office_for(other),
        "office": office_for(home),
        "city_office": office_for(the_city),
        "leader": the_leader,
        "other_leader": other_leader,
        "member": secretary,
    }
    return World(the_city, home, other, project, lagging, other_project, users)


def report_row(
    leader_user: User, region: Organisation | None, period: dt.date = OCTOBER, **fields: object
) -> LeaderReport:
    report = LeaderReport(
        leader=leader_user,
        period=period,
        region=region,
        sms_text=f"【测试市重点办】{leader_user.name}同志:测试短信。",
        title=f"{period.year}年{period.month}月重点项目推进情况月报",
        project_count=2,
        annual_plan=Decimal("65000"),
        invested_ytd=Decimal("52000"),
        generated_at=timezone.now(),
        content={"summary": "测试摘要", "sections": [], "chart": []},
        **fields,
    )
    report.docx.save("test.docx", ContentFile(b"docx"), save=False)
    report.pdf.save("test.pdf", ContentFile(b"%PDF-1.4"), save=False)
    report.save()
    return report
