"""云川市's key projects (重点项目): 165 fictitious investment projects across the 11 districts and
counties, their service teams, and their progress over the story's months (story.py: the twelve
months up to the last complete month when the demo is first loaded, extended on later loads).

Everything is generated from one seed, so every load gives the same city, placed on the calendar by
the story's first month. Each project follows a trajectory (ahead, on plan, lagging, stalled) that the
monthly reports express; 松溪县 stalls in May (mostly; story.py says when): last of the districts
with its target unmet three months running, which earns it a yellow warning for June and a red one
for July; it catches up in August.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import random
import zlib
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from onewindow.demo.data import story as timeline
from onewindow.demo.data.regions import DISTRICTS
from onewindow.demo.data.schema import StaffSpec
from onewindow.demo.data.story import Story

SEED = 2026
PROJECTS_PER_DISTRICT = 15
CODE_PREFIX = "YC"
LAGGING_DISTRICT = "990124"  # 松溪县


class Trajectory(StrEnum):
    AHEAD = "ahead"
    ON_PLAN = "on_plan"
    LAGGING = "lagging"
    STALLED = "stalled"  # reports nothing from its stall month on


# Share of the monthly plan each trajectory invests (STALLED: ON_PLAN until it stalls).
PACE = {Trajectory.AHEAD: 1.3, Trajectory.ON_PLAN: 1.08, Trajectory.LAGGING: 0.6, Trajectory.STALLED: 1.08}

INDUSTRIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # industry: (name templates, industry-chain tags)
    "先进制造": (
        ("年产{n}万台智能装备制造项目", "{place}高端装备产业园一期", "精密零部件智能工厂项目"),
        ("智能装备", "汽车零部件"),
    ),
    "新能源": (
        ("{n}GWh动力电池生产基地项目", "{place}光伏组件扩产项目", "储能系统集成基地项目"),
        ("新能源汽车", "光伏储能"),
    ),
    "电子信息": (
        ("{place}数字经济产业园", "年产{n}万片电子元器件项目", "智能终端制造基地项目"),
        ("集成电路", "智能终端"),
    ),
    "生物医药": (("{place}生物医药产业园", "创新药研发生产基地项目", "医疗器械产业化项目"), ("生物医药",)),
    "现代物流": (("{place}智慧物流园", "冷链物流中心项目", "公铁联运物流枢纽项目"), ("现代物流",)),
    "文化旅游": (("{place}文旅综合体项目", "古镇保护与旅游开发项目", "乡村旅游示范带项目"), ("文化旅游",)),
    "基础设施": (
        ("{place}片区道路提升工程", "{place}污水处理厂扩建工程", "城乡供水一体化工程"),
        ("市政设施",),
    ),
    "城市更新": (("{place}老旧小区改造项目", "{place}片区城市更新项目", "城中村改造安置房项目"), ("城市更新",)),
    "社会事业": (("{place}人民医院新院区项目", "{place}中学新建工程", "养老服务中心项目"), ("社会民生",)),
    "现代农业": (("{place}现代农业产业园", "高标准农田建设项目", "农产品加工园区项目"), ("现代农业",)),
}

OWNER_WORDS = ("华创", "恒通", "远景", "同泰", "鼎盛", "融汇", "嘉禾", "启明", "瑞丰", "宏达", "德润", "金石")
PHASES = (
    ("reserve", 0.08),
    ("preparation", 0.14),
    ("new_start", 0.22),
    ("continuing", 0.46),
    ("completed", 0.05),
    ("in_production", 0.05),
)
CITY_LEADERS: tuple[StaffSpec, ...] = (
    StaffSpec("leader_fu_a", "周副市长", "leader", "9901", "13900010092"),
    StaffSpec("leader_fu_b", "林副市长", "leader", "9901", "13900010093"),
    StaffSpec("leader_fu_c", "高副市长", "leader", "9901", "13900010094"),
)
# 首席服务人: the city's agents (代办员) serve key projects; their cases get the agent too.
CHIEF_SERVICE: tuple[StaffSpec, ...] = tuple(
    StaffSpec(f"chief_{n}", name, "agent", "9901", f"1390001{n + 200:04d}")
    for n, name in enumerate(("贺文涛", "蒋立群", "沈嘉懿", "韦向东", "程思雨", "欧阳帆"), start=1)
)


@dataclass(frozen=True)
class ProjectSpec:
    code: str
    name: str
    owner_name: str
    owner_credit_stem: str  # 17 characters; the check digit is computed when loaded
    district: str  # Organisation code
    industry: str
    chain_tags: tuple[str, ...]
    total_investment: Decimal  # 万元
    annual_plan: Decimal  # 万元, the same for every year of the story
    phase: str
    level: str
    planned_start: dt.date
    planned_finish: dt.date
    location: str
    trajectory: Trajectory
    stall_offset: int  # STALLED only: the story's first month without investment
    leader: str  # username
    chief_service: str
    secretary: str


def district_staff() -> tuple[StaffSpec, ...]:
    """Each district's key-project office (its head and two project secretaries) and its leader."""
    staff: list[StaffSpec] = []
    names = iter(_person_names())
    for index, district in enumerate(DISTRICTS, start=1):
        code = district.code
        staff += [
            StaffSpec(f"office_{code}", next(names), "project_office", code, _phone(index, 0)),
            StaffSpec(f"secretary_{code}_1", next(names), "project_office", code, _phone(index, 1)),
            StaffSpec(f"secretary_{code}_2", next(names), "project_office", code, _phone(index, 2)),
            StaffSpec(f"leader_{code}", f"{district.name}{district.name[-1]}长", "leader", code, _phone(index, 3)),
        ]
    return tuple(staff)


def _person_names() -> list[str]:
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
    given = ("建华", "晓东", "丽娟", "志强", "海燕", "文博", "子涵", "国庆", "雅琴", "俊杰", "春梅", "振宇")
    rng = random.Random(SEED + 1)  # noqa: S311 - demo data, not secrets
    return [f"{rng.choice(surnames)}{rng.choice(given)}" for _ in range(3 * len(DISTRICTS))]


def _phone(district_index: int, n: int) -> str:
    return f"1390002{district_index:02d}{n:02d}"


def key_project_staff() -> tuple[StaffSpec, ...]:
    return CITY_LEADERS + CHIEF_SERVICE + district_staff()


@functools.cache
def projects(story: Story) -> tuple[ProjectSpec, ...]:
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    specs: list[ProjectSpec] = []
    seen: set[str] = set()
    for district_index, district in enumerate(DISTRICTS):
        trajectories = rng.sample(DISTRICT_MIX, len(DISTRICT_MIX))
        for n in range(1, PROJECTS_PER_DISTRICT + 1):
            spec = _project(rng, story, district_index, district.code, district.name, n, trajectories)
            stage = 2
            while spec.name in seen:  # the same kind of project again in one place: its next stage
                spec = dataclasses.replace(
                    spec, name=f"{spec.name.removesuffix('项目').removesuffix('工程')}（{stage}期）"
                )
                stage += 1
            seen.add(spec.name)
            specs.append(spec)
    return tuple(specs)


def _project(
    rng: random.Random,
    story: Story,
    district_index: int,
    code: str,
    district_name: str,
    n: int,
    trajectories: list[Trajectory],
) -> ProjectSpec:
    industry = rng.choice(list(INDUSTRIES))
    templates, tags = INDUSTRIES[industry]
    place = DISTRICTS[district_index].places[n % len(DISTRICTS[district_index].places)].name
    name = rng.choice(templates).format(
        place=place.removesuffix("街道").removesuffix("镇"), n=rng.choice((5, 10, 20, 50))
    )
    total = Decimal(rng.randrange(8_000, 320_000, 500))
    phase = rng.choices([p for p, _w in PHASES], weights=[w for _p, w in PHASES])[0]
    # New starts are planned in the story's months 1 to 9, the others a year earlier.
    start = story.month(rng.randint(1, 9) - (12 if phase in {"continuing", "completed", "in_production"} else 0))
    is_city = total >= 150_000
    return ProjectSpec(
        code=f"{CODE_PREFIX}{story.year}-{code[-3:]}-{n:03d}",
        name=f"{district_name}{name}" if not name.startswith(district_name[:2]) else name,
        owner_name=f"云川{rng.choice(OWNER_WORDS)}{industry}发展有限公司",
        owner_credit_stem=f"91{code}MA{district_index:02d}{n:03d}YC"[:17],
        district=code,
        industry=industry,
        chain_tags=tags,
        total_investment=total,
        annual_plan=_plan(rng, total, phase, trajectories[n - 1]),
        phase=phase,
        level="city" if is_city else "district",
        planned_start=start,
        planned_finish=dt.date(start.year + rng.choice((1, 2, 3)), 12, 31),
        location=f"{district_name}{place}",
        trajectory=trajectories[n - 1],
        stall_offset=rng.randint(*timeline.STALL_OFFSETS),
        leader=_leader(rng, code, is_city),
        chief_service=rng.choice(CHIEF_SERVICE).username,
        secretary=f"secretary_{code}_{1 + n % 2}",
    )


def _plan(rng: random.Random, total: Decimal, phase: str, trajectory: Trajectory) -> Decimal:
    """The yearly planned investment: none before construction; the slow projects are the small ones
    (a district is dragged down by its laggards' share of the plan, not by chance)."""
    if phase in {"reserve", "preparation"}:
        return Decimal(0)
    slow = trajectory in {Trajectory.LAGGING, Trajectory.STALLED}
    share = Decimal("0.08") if slow else Decimal(rng.choice(("0.2", "0.25", "0.3", "0.35")))
    return (total * share).quantize(Decimal(1))


# Every district gets the same mix, in its own order: ranks differ by size and timing, not by luck.
DISTRICT_MIX = (Trajectory.AHEAD,) * 4 + (Trajectory.ON_PLAN,) * 8 + (Trajectory.LAGGING,) * 2 + (Trajectory.STALLED,)


def _leader(rng: random.Random, district: str, is_city: bool) -> str:
    if is_city:
        return rng.choice(("leader", *(s.username for s in CITY_LEADERS)))
    return f"leader_{district}"


def monthly_investment(project: ProjectSpec, month: dt.date, story: Story) -> Decimal:
    """What the project reports for `month` (万元): its pace of a twelfth of the year's plan (a new
    start's preparatory spending counts too), nothing once stalled, and 松溪县's slump and catch-up."""
    if project.phase in {"reserve", "preparation"}:
        return Decimal(0)
    offset = story.offset(month)
    if project.trajectory == Trajectory.STALLED and offset >= project.stall_offset:
        return Decimal(0)
    pace = PACE[project.trajectory]
    if project.district == LAGGING_DISTRICT:
        pace = story.lagging_pace(month) or pace
    wobble = 0.85 + zlib.crc32(f"{project.code}{month:%Y%m}".encode()) % 30 / 100
    return (project.annual_plan / 12 * Decimal(pace * wobble)).quantize(Decimal("0.01"))


def starts_at_event(project: ProjectSpec, story: Story) -> bool:
    """A new start planned from the story's LATE_STARTS_FROM month on breaks ground at the concentrated start."""
    return project.phase == "new_start" and story.offset(project.planned_start) >= timeline.LATE_STARTS_FROM


def start_day(project: ProjectSpec, story: Story) -> dt.date:
    """The day a new start breaks ground (its actual start): the concentrated start's day for those
    started there, else its planned start."""
    return story.start_event_on if starts_at_event(project, story) else project.planned_start


def carried_investment(project: ProjectSpec, story: Story) -> Decimal:
    """What the first report carries: the investment of its year's months before it (story.py)."""
    return sum((monthly_investment(project, month, story) for month in story.carried_months()), Decimal(0))
