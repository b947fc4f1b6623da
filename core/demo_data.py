"""Deterministic demo data for `manage.py seed_demo`: a plan drawn from a seed, then saved via the services.

Planning is pure (no database), so the same seed and day always give the same plan; saving goes
through the same services the portal uses, so demo data obeys every rule real data does.
"""

import dataclasses
import datetime as dt
import random

from auditlog.context import disable_auditlog
from django.contrib.auth import get_user_model
from django.db import transaction
from faker import Faker

from accounts.models import Role
from accounts.services import roles_sync_groups, user_create
from benefits.demo import seed_benefits
from branches.demo import seed_branch_life
from branches.models import Area, Branch, BranchMembership, BranchOfficer
from branches.services import area_create, branch_create, membership_end, membership_transfer, officer_appoint
from cadres.models import Cadre
from cadres.services import cadre_create
from core import idcard
from core.dates import years_after, years_before
from education.demo import seed_education
from outreach.demo import seed_outreach
from reminders.demo import seed_reminders
from volunteers.demo import seed_volunteers

DEMO_URL = "http://127.0.0.1:8000"
DEMO_PASSWORD = "Demo-Portal-2026"
DEMO_SECRETARY_UNIT = "市城管局"
CADRES_PER_BRANCH = 40
WORKING_COMMITTEE_NAME = "市委老干部局离退休干部党工委"
CITY_COMMITTEE_NAME = "市直机关离退休干部党委"
TEMPORARY_BRANCH_NAMES = ("老年大学临时党支部", "老干部合唱团临时党支部")

# Real prefecture-level cities with real district codes (GB/T 2260), so ID numbers look genuine.
CITIES = {
    "成都市": ("510100", [("锦江区", "510104"), ("青羊区", "510105"), ("金牛区", "510106"),
                         ("武侯区", "510107"), ("成华区", "510108"), ("金堂县", "510121"), ("大邑县", "510129")]),
    "泰州市": ("321200", [("海陵区", "321202"), ("高港区", "321203"), ("姜堰区", "321204"),
                         ("兴化市", "321281"), ("靖江市", "321282"), ("泰兴市", "321283")]),
    "菏泽市": ("371700", [("牡丹区", "371702"), ("定陶区", "371703"), ("曹县", "371721"),
                         ("单县", "371722"), ("成武县", "371723"), ("巨野县", "371724"), ("郓城县", "371725")]),
}  # fmt: skip
# Birthplaces outside the city: cadres of this generation were often posted far from home.
OTHER_REGION_CODES = [
    "110101", "120101", "130102", "140105", "210102", "220102", "230102", "310101",
    "320102", "330102", "340102", "350102", "360102", "370102", "410102", "420102",
    "430102", "440103", "450102", "500103", "520102", "530102", "610102", "620102",
]  # fmt: skip

STREET_STEMS = [
    "东风", "新华", "人民", "建设", "和平", "解放", "胜利", "红旗", "光明", "文化", "长征", "向阳",
    "团结", "幸福", "金桥", "锦华", "青龙", "白塔", "南湖", "北门", "府南", "玉林", "桂溪", "双楠",
    "草堂", "春熙", "书院", "望江", "沙河", "东湖", "城北", "城南", "西园", "东城", "花园", "龙潭",
]  # fmt: skip
COMMUNITY_STEMS = [
    "三元", "五福", "玉泉", "翠竹", "百花", "丽都", "锦绣", "桃源", "梅园", "兰亭", "松林", "柳岸",
    "芙蓉", "枫林", "银杏", "滨江", "学府", "康乐", "长寿苑", "安居", "福寿", "映月", "沁园", "晨光",
    "朝阳", "明珠", "金沙", "碧水", "嘉园", "青年路", "红光", "新村", "东苑", "西苑", "南苑", "北苑",
    "怡和", "华兴", "永丰", "新民", "双林", "水井坊", "紫荆", "荷花池", "杏林", "金鱼", "白云", "清水",
]  # fmt: skip
VILLAGE_STEMS = [
    "王庄", "李集", "张楼", "刘营", "陈湾", "杨店", "赵屯", "孙庙", "周堂", "吴寨", "高庄", "马楼",
    "胡集", "郭庄", "何湾", "罗集", "宋庄", "谢楼", "韩集", "黄岗",
]  # fmt: skip

# City units by system (系统): each system with branches gets its own general branch (党总支).
CITY_SYSTEMS = {
    "市直党政机关": ["市委办公室", "市政府办公室", "市委组织部", "市委宣传部", "市人大常委会办公室",
                   "市政协办公室", "市发改委", "市财政局", "市民政局", "市人社局", "市审计局", "市统计局"],
    "市城建系统": ["市城管局", "市住建局", "市自然资源局", "市交通运输局", "市水务局", "市生态环境局"],
    "市教育系统": ["市教育局", "市第一中学", "市职业技术学院"],
    "市卫生健康系统": ["市卫健委", "市第一人民医院", "市中医医院"],
    "市政法系统": ["市公安局", "市中级人民法院", "市人民检察院", "市司法局"],
    "市经济系统": ["市商务局", "市农业农村局", "市市场监管局", "市工信局", "市供销社"],
}  # fmt: skip
# Units with many retirees: they split into 第一, 第二 … 党支部.
LARGE_UNITS = {"市教育局", "市第一人民医院", "市公安局", "市第一中学", "市财政局"}
DISTRICT_UNITS = [
    "教育局", "卫健局", "财政局", "民政局", "人社局", "住建局", "城管局", "公安分局",
    "人民法院", "人民检察院", "农业农村局", "水务局",
]  # fmt: skip

# 省部级 retirees are served by the provincial bureau, so a municipal registry has none.
POSTS_BY_RANK = {
    Cadre.Rank.BUREAU: ["局长", "副局长", "巡视员", "副巡视员", "主任", "副主任"],
    Cadre.Rank.COUNTY: ["处长", "副处长", "调研员", "副调研员", "主任"],
    Cadre.Rank.SECTION: ["科长", "副科长", "主任科员", "副主任科员", "所长", "站长"],
    Cadre.Rank.OTHER: ["科员", "办事员", "教师", "医生", "工程师", "会计"],
}
# A district's units have few cadres above section level; the city's have more.
RANK_WEIGHTS_CITY = {
    Cadre.Rank.BUREAU: 10,
    Cadre.Rank.COUNTY: 32,
    Cadre.Rank.SECTION: 36,
    Cadre.Rank.OTHER: 22,
}
RANK_WEIGHTS_DISTRICT = {
    Cadre.Rank.BUREAU: 0,
    Cadre.Rank.COUNTY: 12,
    Cadre.Rank.SECTION: 50,
    Cadre.Rank.OTHER: 38,
}
# Given names typical of those born in the 1930s-60s, beside Faker's generic ones.
ERA_NAMES_MALE = [
    "建国", "建华", "国强", "志强", "卫东", "援朝", "跃进", "振华", "德明", "文斌", "永胜", "保国",
    "国庆", "建军", "卫国", "新民", "胜利", "学军", "爱民", "立新", "光明", "长生", "福生", "金山",
]  # fmt: skip
ERA_NAMES_FEMALE = [
    "秀英", "桂英", "玉兰", "淑珍", "秀兰", "凤英", "桂兰", "淑芬", "玉珍", "红梅", "素珍", "秀珍",
    "桂芳", "美华", "丽华", "爱华", "建英", "玉梅", "淑英", "凤兰", "翠英", "淑华", "秀云", "兰英",
]  # fmt: skip
ETHNICITIES = ["回族", "满族", "蒙古族", "壮族", "土家族", "彝族"]
HEALTH_NOTES = ["高血压，按时服药", "糖尿病", "冠心病，随身带药", "行动不便，需人陪同", "听力下降，电话请大声",
                "腿脚不便，住低楼层", "术后康复中", "视力较差"]  # fmt: skip
# Who an elder names as emergency contact: (relation, sex, shares the elder's surname).
RELATIONS = [("儿子", "M", True), ("女儿", "F", True), ("儿媳", "F", False), ("女婿", "M", False),
             ("侄子", "M", True), ("配偶", "", False)]  # fmt: skip
CHINESE_DIGITS = "零一二三四五六七八九"


@dataclasses.dataclass
class AreaPlan:
    code: str
    name: str
    kind: str
    parent_code: str | None


@dataclasses.dataclass
class BranchPlan:
    name: str
    kind: str
    parent_name: str | None
    area_code: str
    founded_on: dt.date
    term_years: int
    former_unit: str = ""
    liaison_name: str = ""
    liaison_phone: str = ""
    liaison_unit: str = ""


@dataclasses.dataclass
class CadrePlan:
    name: str
    sex: str
    ethnicity: str
    id_number: str
    birth_date: dt.date
    birthday_calendar: str
    retirement_type: str
    retired_on: dt.date
    former_unit: str
    former_post: str
    rank: str
    party_join_date: dt.date | None
    five_elders: list[str]
    address: str
    lives_elsewhere: bool
    special_hardship: bool
    phone: str
    health_notes: str
    emergency_contact: str
    deceased_on: dt.date | None
    # Where the cadre lives and the branch they first joined; not Cadre fields themselves.
    area_code: str | None
    branch_name: str | None
    joined_on: dt.date | None


PLACEMENT_FIELDS = ("area_code", "branch_name", "joined_on")


@dataclasses.dataclass
class TransferPlan:
    cadre_index: int
    branch_name: str
    on: dt.date


@dataclasses.dataclass
class OfficerPlan:
    branch_name: str
    cadre_index: int
    role: str
    term_start: dt.date
    term_end: dt.date


@dataclasses.dataclass
class DemoPlan:
    city: str
    areas: list[AreaPlan]
    branches: list[BranchPlan]
    cadres: list[CadrePlan]
    transfers: list[TransferPlan]
    officers: list[OfficerPlan]
    secretary_branch_name: str
    seed: int
    today: dt.date


@dataclasses.dataclass
class DemoLogin:
    username: str
    role: str
    looks_after: str  # "branch: …" or "team: …"


DEMO_USERS = [
    # username, role, is_staff, is_superuser; the admin is a superuser so the Django admin works.
    ("demo_admin", Role.BUREAU_ADMIN, True, True),
    ("demo_staff", Role.BUREAU_STAFF, True, False),
    ("demo_secretary", Role.BRANCH_SECRETARY, False, False),
    ("demo_auditor", Role.AUDITOR, False, False),
    # Made by volunteers.demo.seed_volunteers, which first builds the team they lead.
    ("demo_team_leader", Role.TEAM_LEADER, False, False),
]


def build_plan(*, cadres: int, seed: int, today: dt.date) -> DemoPlan:
    """Draw the whole demo data set from `seed` without touching the database."""
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    city = rng.choice(sorted(CITIES))
    areas = plan_areas(rng, city=city)
    branches = plan_branches(rng, fake, areas=areas, cadres=cadres, today=today)
    people = plan_cadres(rng, fake, city=city, areas=areas, branches=branches, count=cadres, today=today)
    secretary_branch = next(b for b in branches if b.former_unit == DEMO_SECRETARY_UNIT)
    _ensure_members(people, branch=secretary_branch, today=today)
    transfers = plan_transfers(rng, people=people, branches=branches, keep=secretary_branch.name, today=today)
    officers = plan_officers(rng, people=people, branches=branches, transfers=transfers, today=today)
    return DemoPlan(
        city=city,
        areas=areas,
        branches=branches,
        cadres=people,
        transfers=transfers,
        officers=officers,
        secretary_branch_name=secretary_branch.name,
        seed=seed,
        today=today,
    )


def plan_areas(rng: random.Random, *, city: str) -> list[AreaPlan]:
    """City > 3-4 districts or counties > streets or towns > communities or villages, parents first."""
    city_code, districts = CITIES[city]
    areas = [AreaPlan(code=f"{city_code}000000", name=city, kind=Area.Kind.CITY, parent_code=None)]
    chosen = rng.sample(districts, k=rng.randint(3, 4))
    for district_name, district_code in sorted(chosen, key=lambda d: d[1]):
        district = AreaPlan(
            code=f"{district_code}000000",
            name=district_name,
            kind=Area.Kind.DISTRICT,
            parent_code=areas[0].code,
        )
        areas.append(district)
        is_county = district_name.endswith("县")
        # Community names repeat across a city but not within one district.
        community_stems = rng.sample(COMMUNITY_STEMS, k=len(COMMUNITY_STEMS))
        for number, stem in enumerate(rng.sample(STREET_STEMS, k=rng.randint(3, 5)), start=1):
            # A county seat has a street or two; the rest of a county is towns and villages.
            is_town = is_county and number > 1
            street = AreaPlan(
                code=f"{district_code}{number:03d}000",
                name=f"{stem}镇" if is_town else f"{stem}街道",
                kind=Area.Kind.TOWN if is_town else Area.Kind.STREET,
                parent_code=district.code,
            )
            areas.append(street)
            areas.extend(_plan_communities(rng, street=street, is_town=is_town, stems=community_stems))
    return areas


def _plan_communities(
    rng: random.Random, *, street: AreaPlan, is_town: bool, stems: list[str]
) -> list[AreaPlan]:
    count = rng.randint(3, 6)
    community_stems = [stems.pop() for _community in range(count)]
    village_stems = rng.sample(VILLAGE_STEMS, k=count)
    communities = []
    for number in range(1, count + 1):
        # A town has a residents' community at its seat and villages around it; statistical
        # codes number residents' committees from 001 and village committees from 201.
        if is_town and number > 1:
            name, kind, local = f"{village_stems[number - 1]}村", Area.Kind.VILLAGE, 200 + number
        else:
            name, kind, local = f"{community_stems[number - 1]}社区", Area.Kind.COMMUNITY, number
        communities.append(
            AreaPlan(code=f"{street.code[:9]}{local:03d}", name=name, kind=kind, parent_code=street.code)
        )
    return communities


def plan_branches(
    rng: random.Random, fake: Faker, *, areas: list[AreaPlan], cadres: int, today: dt.date
) -> list[BranchPlan]:
    """党工委 > 市直 and per-district 党委 > 党总支 > 党支部, about one 党支部 per 40 cadres, parents first."""
    city, districts = areas[0], [a for a in areas if a.kind == Area.Kind.DISTRICT]
    used_names: set[str] = set()
    branches = [
        BranchPlan(
            name=WORKING_COMMITTEE_NAME,
            kind=Branch.Kind.WORKING_COMMITTEE,
            parent_name=None,
            area_code=city.code,
            founded_on=dt.date(1990, 7, 1),
            term_years=5,
        )
    ]
    temporaries = len(TEMPORARY_BRANCH_NAMES)
    regular = max(len(districts) + 1, round(cadres / CADRES_PER_BRANCH) - temporaries)
    # City units hold about two fifths of the retirees; the districts share the rest.
    city_share = max(1, round(regular * 0.4))
    district_shares = _split(rng, regular - city_share, parts=len(districts))

    city_committee = _committee(rng, name=CITY_COMMITTEE_NAME, parent=branches[0], area_code=city.code)
    branches.append(city_committee)
    used_names.add(city_committee.name)
    branches.extend(
        _plan_city_branches(rng, fake, committee=city_committee, count=city_share, used=used_names)
    )
    for name in TEMPORARY_BRANCH_NAMES:
        branches.append(
            BranchPlan(
                name=name,
                kind=Branch.Kind.TEMPORARY,
                parent_name=city_committee.name,
                area_code=city.code,
                founded_on=_random_date(rng, dt.date(2015, 1, 1), min(today, dt.date(2023, 12, 31))),
                term_years=3,
                former_unit="市老干部活动中心",
                liaison_name=_name(rng, fake, rng.choice("MF")),
                liaison_phone=fake.phone_number(),
                liaison_unit="市委老干部局活动中心",
            )
        )
    for district, share in zip(districts, district_shares, strict=True):
        committee = _committee(
            rng, name=f"{district.name}离退休干部党委", parent=branches[0], area_code=district.code
        )
        branches.append(committee)
        streets = [a for a in areas if a.parent_code == district.code]
        branches.extend(
            _plan_district_branches(
                rng, fake, committee=committee, district=district, streets=streets, areas=areas,
                count=share, used=used_names,
            )
        )  # fmt: skip
    return branches


def _committee(rng: random.Random, *, name: str, parent: BranchPlan, area_code: str) -> BranchPlan:
    return BranchPlan(
        name=name,
        kind=Branch.Kind.COMMITTEE,
        parent_name=parent.name,
        area_code=area_code,
        founded_on=_random_date(rng, dt.date(1992, 1, 1), dt.date(2000, 12, 31)),
        term_years=5,
    )


def _general_branch(rng: random.Random, *, name: str, parent: BranchPlan) -> BranchPlan:
    return BranchPlan(
        name=name,
        kind=Branch.Kind.GENERAL_BRANCH,
        parent_name=parent.name,
        area_code=parent.area_code,
        founded_on=_random_date(rng, dt.date(1995, 1, 1), dt.date(2010, 12, 31)),
        term_years=rng.choice([3, 5]),
    )


def _branch(
    rng: random.Random,
    fake: Faker,
    *,
    name: str,
    parent: BranchPlan,
    area_code: str,
    unit: str,
    liaison_unit: str,
) -> BranchPlan:
    return BranchPlan(
        name=name,
        kind=Branch.Kind.BRANCH,
        parent_name=parent.name,
        area_code=area_code,
        founded_on=_random_date(rng, dt.date(1998, 1, 1), dt.date(2022, 12, 31)),
        # The 2022 Constitution allows 3 to 5 years; most retiree branches choose 3.
        term_years=rng.choice([3, 3, 3, 5]),
        former_unit=unit,
        liaison_name=_name(rng, fake, rng.choice("MF")),
        liaison_phone=fake.phone_number(),
        liaison_unit=liaison_unit,
    )


def _plan_city_branches(
    rng: random.Random, fake: Faker, *, committee: BranchPlan, count: int, used: set[str]
) -> list[BranchPlan]:
    units = [unit for system_units in CITY_SYSTEMS.values() for unit in system_units]
    weights = [4 if unit in LARGE_UNITS else 1 for unit in units]
    # The demo secretary's unit and a numbered 第一/第二 pair always appear, as in the seed documents.
    picks = [DEMO_SECRETARY_UNIT, "市教育局", "市教育局"][:count]
    picks += rng.choices(units, weights=weights, k=count - len(picks))
    branches = []
    for system, system_units in CITY_SYSTEMS.items():
        present = [unit for unit in system_units if unit in picks]
        if not present:
            continue
        general = _general_branch(rng, name=f"{system}离退休干部党总支", parent=committee)
        branches.append(general)
        for unit in present:
            for name in _branch_names(f"{unit}离退休干部", picks.count(unit), used=used):
                branches.append(
                    _branch(
                        rng, fake, name=name, parent=general, area_code=committee.area_code, unit=unit,
                        liaison_unit=f"{unit}离退休干部处",
                    )
                )  # fmt: skip
    return branches


def _plan_district_branches(
    rng: random.Random,
    fake: Faker,
    *,
    committee: BranchPlan,
    district: AreaPlan,
    streets: list[AreaPlan],
    areas: list[AreaPlan],
    count: int,
    used: set[str],
) -> list[BranchPlan]:
    unit_count = count // 2
    place_count = count - unit_count
    branches = []
    if unit_count:
        general = _general_branch(rng, name=f"{district.name}机关离退休干部党总支", parent=committee)
        branches.append(general)
        picks = rng.sample(DISTRICT_UNITS, k=min(unit_count, len(DISTRICT_UNITS)))
        picks += rng.choices(DISTRICT_UNITS, k=unit_count - len(picks))
        for unit in sorted(set(picks)):
            for name in _branch_names(f"{district.name}{unit}离退休干部", picks.count(unit), used=used):
                branches.append(
                    _branch(
                        rng, fake, name=name, parent=general, area_code=district.code,
                        unit=f"{district.name}{unit}", liaison_unit=f"{district.name}{unit}办公室",
                    )
                )  # fmt: skip
    if place_count:
        # The seed documents write 海南镇老干部党支部 in a county, 虹梅街道离退休干部党支部 in a city.
        suffix = "老干部" if district.name.endswith("县") else "离退休干部"
        general = _general_branch(rng, name=f"{district.name}街道社区离退休干部党总支", parent=committee)
        branches.append(general)
        # Streets get a branch first; where there are more branches than streets, communities get theirs.
        places = list(streets) + [a for street in streets for a in areas if a.parent_code == street.code]
        for position, place in enumerate(places[:place_count]):
            stem = f"{place.name}{suffix}"
            if any(name.startswith(stem) for name in used):
                # Two streets of a city may have a community of the same name.
                stem = f"{district.name}{place.name}{suffix}"
            # More branches than places: the places get several, numbered 第一, 第二 …
            branches_here = len(range(position, place_count, len(places)))
            for name in _branch_names(stem, branches_here, used=used):
                branches.append(
                    _branch(
                        rng, fake, name=name, parent=general, area_code=place.code, unit="",
                        liaison_unit=f"{place.name}党组织",
                    )
                )  # fmt: skip
    return branches


def _branch_names(stem: str, count: int, *, used: set[str]) -> list[str]:
    # One branch: 市城管局离退休干部党支部; several: 市教育局离退休干部第一党支部, 第二党支部 …
    wanted = (
        [f"{stem}党支部"]
        if count == 1
        else [f"{stem}第{chinese_number(n)}党支部" for n in range(1, count + 1)]
    )
    names = []
    for name in wanted:
        unique, number = name, 2
        while unique in used:
            unique = f"{name.removesuffix('党支部')}（{chinese_number(number)}）党支部"
            number += 1
        used.add(unique)
        names.append(unique)
    return names


def plan_cadres(
    rng: random.Random,
    fake: Faker,
    *,
    city: str,
    areas: list[AreaPlan],
    branches: list[BranchPlan],
    count: int,
    today: dt.date,
) -> list[CadrePlan]:
    """Draw `count` cadres aged about 60 to 100 with valid, unique ID numbers and their first branch."""
    city_codes = [code for _name, code in CITIES[city][1]]
    homes = [a for a in areas if a.kind in (Area.Kind.COMMUNITY, Area.Kind.VILLAGE)]
    areas_by_code = {a.code: a for a in areas}
    party_branches = [b for b in branches if b.kind == Branch.Kind.BRANCH]
    # Retiree branches differ a lot in size: a big school system beside a small office.
    branch_weights = [rng.uniform(0.4, 2.0) for _branch in party_branches]
    used_ids: set[str] = set()
    people = []
    for _index in range(count):
        sex = idcard.SEX_MALE if rng.random() < 0.66 else idcard.SEX_FEMALE
        born = _birth_date(rng, today)
        region = rng.choice(city_codes) if rng.random() < 0.75 else rng.choice(OTHER_REGION_CODES)
        id_number = _unique_id_number(rng, region=region, born=born, sex=sex, used=used_ids)
        # 离休 is for those who joined the revolution before 1 October 1949: born before about 1933.
        is_lixiu = born.year < 1933 and rng.random() < 0.85
        retired_on = min(
            _retirement_date(rng, born=born, sex=sex, is_lixiu=is_lixiu), today - dt.timedelta(days=30)
        )
        party_join_date = _party_join_date(rng, born=born, retired_on=retired_on, is_lixiu=is_lixiu)
        branch = None
        if party_join_date is not None:
            branch = rng.choices(party_branches, weights=branch_weights)[0]
        unit = branch.former_unit if branch and branch.former_unit else _random_unit(rng, areas)
        rank_weights = RANK_WEIGHTS_CITY if unit.startswith("市") else RANK_WEIGHTS_DISTRICT
        rank = rng.choices(list(rank_weights), weights=list(rank_weights.values()))[0]
        joined_on = None
        if branch is not None:
            joined_on = min(
                max(retired_on, branch.founded_on) + dt.timedelta(days=rng.randint(0, 365)), today
            )
        lives_elsewhere = rng.random() < 0.08
        home = (
            None
            if lives_elsewhere
            else _home_for(rng, branch=branch, homes=homes, areas_by_code=areas_by_code)
        )
        surname = fake.last_name()
        calendar = Cadre.BirthdayCalendar.LUNAR if rng.random() < 0.3 else Cadre.BirthdayCalendar.SOLAR
        people.append(
            CadrePlan(
                name=surname + _given_name(rng, fake, sex),
                sex=sex,
                ethnicity="汉族" if rng.random() < 0.94 else rng.choice(ETHNICITIES),
                id_number=id_number,
                birth_date=born,
                birthday_calendar=calendar,
                retirement_type=Cadre.RetirementType.LIXIU if is_lixiu else Cadre.RetirementType.TUIXIU,
                retired_on=retired_on,
                former_unit=unit,
                former_post=rng.choice(POSTS_BY_RANK[rank]),
                rank=rank,
                party_join_date=party_join_date,
                five_elders=_five_elders(rng, rank=rank, born=born, unit=unit),
                address=_address(rng, fake, home=home, areas_by_code=areas_by_code),
                lives_elsewhere=lives_elsewhere,
                special_hardship=rng.random() < 0.05,
                phone=fake.phone_number(),
                health_notes=rng.choice(HEALTH_NOTES) if rng.random() < 0.3 else "",
                emergency_contact=_emergency_contact(rng, fake, surname=surname, sex=sex),
                deceased_on=_deceased_on(rng, born=born, after=joined_on or retired_on, today=today),
                area_code=home.code if home else None,
                branch_name=branch.name if branch else None,
                joined_on=joined_on,
            )
        )
    return people


def plan_transfers(
    rng: random.Random, *, people: list[CadrePlan], branches: list[BranchPlan], keep: str, today: dt.date
) -> list[TransferPlan]:
    """Move about 2% of living members to another branch, and a few into each temporary branch.

    Members of the branch named `keep` (the demo secretary's) stay, so that branch never empties.
    """
    regular = [b for b in branches if b.kind == Branch.Kind.BRANCH]
    temporary = [b for b in branches if b.kind == Branch.Kind.TEMPORARY]
    movable = [
        index
        for index, person in enumerate(people)
        if person.branch_name not in (None, keep)
        and person.deceased_on is None
        and person.joined_on < today - dt.timedelta(days=60)
    ]
    chosen = rng.sample(movable, k=min(len(movable), max(3, len(people) // 50) + 4 * len(temporary)))
    transfers = []
    for position, index in enumerate(chosen):
        person = people[index]
        # The first few fill the temporary branches (senior university, choir); the rest move between units.
        if position < 4 * len(temporary):
            target = temporary[position % len(temporary)]
        else:
            target = rng.choice([b for b in regular if b.name != person.branch_name] or regular)
        earliest = max(person.joined_on + dt.timedelta(days=30), target.founded_on)
        if target.name == person.branch_name or earliest > today:
            continue
        transfers.append(
            TransferPlan(cadre_index=index, branch_name=target.name, on=_random_date(rng, earliest, today))
        )
    return transfers


def plan_officers(
    rng: random.Random,
    *,
    people: list[CadrePlan],
    branches: list[BranchPlan],
    transfers: list[TransferPlan],
    today: dt.date,
) -> list[OfficerPlan]:
    """Secretaries and committees for each branch, terms of 3-5 years; about one in five ends within 90 days."""
    current = current_branches(people, transfers)
    members_by_branch: dict[str, list[int]] = {}
    for index, branch_name in current.items():
        person = people[index]
        # Officers are living Party members young enough to serve.
        if person.deceased_on is None and (today - person.birth_date).days < 88 * 365:
            members_by_branch.setdefault(branch_name, []).append(index)
    children: dict[str, list[str]] = {}
    for branch in branches:
        if branch.parent_name:
            children.setdefault(branch.parent_name, []).append(branch.name)
    officers = []
    for branch in branches:
        if branch.kind in (Branch.Kind.BRANCH, Branch.Kind.TEMPORARY):
            candidates = members_by_branch.get(branch.name, [])
            if len(candidates) < 3:
                continue
            roles = [BranchOfficer.Role.SECRETARY]
            # Party rules: seven or more members elect a committee; fewer elect only a secretary.
            if len(candidates) >= 7:
                roles += [
                    BranchOfficer.Role.ORGANISATION,
                    BranchOfficer.Role.PROPAGANDA,
                    BranchOfficer.Role.DISCIPLINE,
                ]
            if len(candidates) >= 15:
                roles.insert(1, BranchOfficer.Role.DEPUTY_SECRETARY)
        elif branch.kind in (Branch.Kind.GENERAL_BRANCH, Branch.Kind.COMMITTEE):
            candidates = [
                i for child in _descendants(branch.name, children) for i in members_by_branch.get(child, [])
            ]
            if not candidates:
                continue
            roles = [BranchOfficer.Role.SECRETARY]
        else:
            continue
        term_end = (
            today + dt.timedelta(days=rng.randint(1, 90))
            if rng.random() < 0.2
            else today + dt.timedelta(days=rng.randint(91, branch.term_years * 365 - 30))
        )
        term_start = years_before(term_end, branch.term_years)
        holders = rng.sample(sorted(candidates), k=len(roles))
        for role, index in zip(roles, holders, strict=True):
            officers.append(
                OfficerPlan(
                    branch_name=branch.name,
                    cadre_index=index,
                    role=role,
                    term_start=term_start,
                    term_end=term_end,
                )
            )
        if rng.random() < 0.5:
            # The previous term's secretary: history for the officer pages.
            previous = rng.choice(sorted(candidates))
            officers.append(
                OfficerPlan(
                    branch_name=branch.name,
                    cadre_index=previous,
                    role=BranchOfficer.Role.SECRETARY,
                    term_start=years_before(term_start, branch.term_years),
                    term_end=term_start,
                )
            )
    return officers


def current_branches(people: list[CadrePlan], transfers: list[TransferPlan]) -> dict[int, str]:
    """The branch each living cadre belongs to once the plan's transfers are done, by cadre index."""
    current = {i: p.branch_name for i, p in enumerate(people) if p.branch_name and p.deceased_on is None}
    for transfer in transfers:
        current[transfer.cadre_index] = transfer.branch_name
    return current


def demo_data_exists() -> bool:
    """True when the demo users were already created, so seeding again must change nothing."""
    return get_user_model().objects.filter(username__in=[u[0] for u in DEMO_USERS]).exists()


def registry_has_data() -> bool:
    """True when the registry already holds records that demo data must not be mixed into."""
    return Cadre.objects.exists() or Branch.objects.exists() or Area.objects.exists()


def save_plan(plan: DemoPlan) -> dict[str, int]:
    """Create the plan's areas, branches, cadres, transfers, officers and demo users through the services."""
    # The audit trail is for people's changes to real records; thousands of entries for
    # generated ones would bury the first real change an auditor looks for.
    with disable_auditlog(), transaction.atomic():
        return _save_plan(plan)


def _save_plan(plan: DemoPlan) -> dict[str, int]:
    areas: dict[str, Area] = {}
    for area in plan.areas:
        areas[area.code] = area_create(
            name=area.name, kind=area.kind, code=area.code, parent=areas.get(area.parent_code)
        )
    branches: dict[str, Branch] = {}
    for branch in plan.branches:
        fields = dataclasses.asdict(branch)
        parent_name, area_code = fields.pop("parent_name"), fields.pop("area_code")
        branches[branch.name] = branch_create(
            parent=branches.get(parent_name), area=areas[area_code], **fields
        )
    cadre_ids = []
    for person in plan.cadres:
        fields = {k: v for k, v in dataclasses.asdict(person).items() if k not in PLACEMENT_FIELDS}
        cadre = cadre_create(
            branch=branches.get(person.branch_name),
            joined_on=person.joined_on,
            area=areas.get(person.area_code),
            **fields,
        )
        cadre_ids.append(cadre.pk)
    cadres = Cadre.objects.in_bulk(cadre_ids)
    for transfer in plan.transfers:
        membership_transfer(
            cadre=cadres[cadre_ids[transfer.cadre_index]],
            branch=branches[transfer.branch_name],
            on=transfer.on,
        )
    for index, person in enumerate(plan.cadres):
        if person.deceased_on and person.branch_name:
            membership_end(cadre=cadres[cadre_ids[index]], on=person.deceased_on)
    # Sorted inserts moved branch paths and transfers changed cadres' branches: officers are
    # checked against fresh rows.
    branches = {branch.name: branch for branch in Branch.objects.all()}
    cadres = Cadre.objects.in_bulk(cadre_ids)
    for officer in plan.officers:
        officer_appoint(
            branch=branches[officer.branch_name],
            cadre=cadres[cadre_ids[officer.cadre_index]],
            role=officer.role,
            term_start=officer.term_start,
            term_end=officer.term_end,
        )
    secretary_branch = branches[plan.secretary_branch_name]
    create_demo_users(secretary_branch=secretary_branch)
    return {
        "areas": Area.objects.count(),
        "branches": Branch.objects.count(),
        "cadres": Cadre.objects.count(),
        "memberships": BranchMembership.objects.count(),
        "transfers": len(plan.transfers),
        "officers": BranchOfficer.objects.count(),
        **seed_branch_life(seed=plan.seed, today=plan.today, secretary_branch=secretary_branch),
        **seed_volunteers(seed=plan.seed, today=plan.today),
        **seed_outreach(seed=plan.seed, today=plan.today),
        **seed_benefits(seed=plan.seed, today=plan.today),
        **seed_education(seed=plan.seed, today=plan.today),
        # Last: the reminder rules read the care records above.
        **seed_reminders(seed=plan.seed, today=plan.today),
    }


def create_demo_users(*, secretary_branch: Branch) -> None:
    """Create one demo user per role, all with DEMO_PASSWORD; the secretary looks after `secretary_branch`."""
    # Groups normally come from post_migrate; syncing here makes the demo users' groups certain.
    roles_sync_groups()
    for username, role, is_staff, is_superuser in DEMO_USERS:
        if role == Role.TEAM_LEADER:
            continue
        user_create(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            branch=secretary_branch if role == Role.BRANCH_SECRETARY else None,
            is_staff=is_staff,
            is_superuser=is_superuser,
            email=f"{username}@example.com",
        )


def demo_logins() -> list[DemoLogin]:
    """The demo users that exist, with their role and the branch or team they look after."""
    users = (
        get_user_model()
        .objects.select_related("branch", "volunteer_team")
        .filter(username__in=[u[0] for u in DEMO_USERS])
    )
    by_name = {user.username: user for user in users}
    return [
        DemoLogin(
            username=username,
            role=f"{role.value} ({role.label})",
            looks_after=_looks_after(by_name[username]),
        )
        for username, role, _staff, _superuser in DEMO_USERS
        if username in by_name
    ]


def _looks_after(user) -> str:
    if user.branch_id:
        return f"branch: {user.branch.name}"
    if user.volunteer_team_id:
        return f"team: {user.volunteer_team.name}"
    return ""


def chinese_number(number: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 23 -> 二十三: for 第一党支部 and the like (1 to 99)."""
    tens, ones = divmod(number, 10)
    if tens == 0:
        return CHINESE_DIGITS[ones]
    return f"{CHINESE_DIGITS[tens] if tens > 1 else ''}十{CHINESE_DIGITS[ones] if ones else ''}"


def _ensure_members(people: list[CadrePlan], *, branch: BranchPlan, today: dt.date) -> None:
    # The demo secretary must have members to look after, even in a tiny demo.
    members = [p for p in people if p.branch_name == branch.name and p.deceased_on is None]
    for person in people:
        if len(members) >= 3:
            break
        if person.branch_name and person.deceased_on is None and person not in members:
            person.branch_name = branch.name
            person.former_unit = DEMO_SECRETARY_UNIT
            person.joined_on = min(max(person.retired_on, branch.founded_on), today)
            members.append(person)


def _descendants(name: str, children: dict[str, list[str]]) -> list[str]:
    found = []
    for child in children.get(name, []):
        found.append(child)
        found += _descendants(child, children)
    return found


def _split(rng: random.Random, total: int, *, parts: int) -> list[int]:
    # Every part gets at least one; the rest goes by random weights.
    shares = [1] * parts
    for _unit in range(max(0, total - parts)):
        shares[rng.randrange(parts)] += 1
    return shares


def _random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _birth_date(rng: random.Random, today: dt.date) -> dt.date:
    # Most retirees were born after the war; the 离休 generation is a small, shrinking group.
    draw = rng.random()
    if draw < 0.04:
        start, end = dt.date(1925, 1, 1), dt.date(1932, 12, 31)
    elif draw < 0.25:
        start, end = dt.date(1933, 1, 1), dt.date(1945, 12, 31)
    else:
        start, end = dt.date(1946, 1, 1), dt.date(1965, 12, 31)
    return _random_date(rng, start, min(end, years_before(today, 60)))


def _unique_id_number(rng: random.Random, *, region: str, born: dt.date, sex: str, used: set[str]) -> str:
    sequence = rng.randrange(500)
    for attempt in range(500):
        number = idcard.make_id_number(region, born, sequence + attempt, sex)
        if number not in used:
            used.add(number)
            return number
    raise ValueError(f"No free ID number for {region} {born}")


def _retirement_date(rng: random.Random, *, born: dt.date, sex: str, is_lixiu: bool) -> dt.date:
    if is_lixiu:
        age = rng.randint(58, 65)
    else:
        # Ordinary retirement age: 60 for men, 55 for most women cadres, a few years either way.
        age = (60 if sex == idcard.SEX_MALE else 55) + rng.choice([-2, -1, 0, 0, 0, 0, 1, 3])
    return years_after(born, age) + dt.timedelta(days=rng.randint(0, 60))


def _party_join_date(
    rng: random.Random, *, born: dt.date, retired_on: dt.date, is_lixiu: bool
) -> dt.date | None:
    if rng.random() >= (0.97 if is_lixiu else 0.85):
        return None
    earliest = years_after(born, 18)
    latest = min(retired_on, years_after(born, 50))
    if is_lixiu and rng.random() < 0.7:
        # Many 离休 cadres joined the Party in the war years.
        latest = max(earliest, min(latest, dt.date(1949, 9, 30)))
    return _random_date(rng, earliest, latest)


def _deceased_on(rng: random.Random, *, born: dt.date, after: dt.date, today: dt.date) -> dt.date | None:
    age = (today - born).days // 365
    if rng.random() >= (0.08 if age >= 85 else 0.01):
        return None
    start = max(after + dt.timedelta(days=1), today - dt.timedelta(days=3 * 365))
    if start >= today:
        return None
    return _random_date(rng, start, today - dt.timedelta(days=1))


def _name(rng: random.Random, fake: Faker, sex: str) -> str:
    return fake.last_name() + _given_name(rng, fake, sex)


def _given_name(rng: random.Random, fake: Faker, sex: str) -> str:
    if rng.random() < 0.2:
        return rng.choice(ERA_NAMES_MALE if sex == idcard.SEX_MALE else ERA_NAMES_FEMALE)
    return fake.first_name_male() if sex == idcard.SEX_MALE else fake.first_name_female()


def _emergency_contact(rng: random.Random, fake: Faker, *, surname: str, sex: str) -> str:
    relation, contact_sex, same_surname = rng.choice(RELATIONS)
    if not contact_sex:  # a spouse: the other sex, and Chinese wives keep their own surname
        contact_sex = idcard.SEX_FEMALE if sex == idcard.SEX_MALE else idcard.SEX_MALE
    contact_surname = surname if same_surname else fake.last_name()
    return f"{contact_surname}{_given_name(rng, fake, contact_sex)}（{relation}）{fake.phone_number()}"


def _random_unit(rng: random.Random, areas: list[AreaPlan]) -> str:
    if rng.random() < 0.5:
        system = rng.choice(sorted(CITY_SYSTEMS))
        return rng.choice(CITY_SYSTEMS[system])
    district = rng.choice([a for a in areas if a.kind == Area.Kind.DISTRICT])
    return f"{district.name}{rng.choice(DISTRICT_UNITS)}"


def _home_for(
    rng: random.Random,
    *,
    branch: BranchPlan | None,
    homes: list[AreaPlan],
    areas_by_code: dict[str, AreaPlan],
) -> AreaPlan:
    # Members of a street or community branch live there; others anywhere under their branch's area.
    if branch is not None:
        nearby = [h for h in homes if _is_within(h, branch.area_code, areas_by_code)]
        if nearby:
            return rng.choice(nearby)
    return rng.choice(homes)


def _is_within(area: AreaPlan, ancestor_code: str, areas_by_code: dict[str, AreaPlan]) -> bool:
    node = area
    while node is not None:
        if node.code == ancestor_code:
            return True
        node = areas_by_code.get(node.parent_code)
    return False


def _address(
    rng: random.Random, fake: Faker, *, home: AreaPlan | None, areas_by_code: dict[str, AreaPlan]
) -> str:
    if home is None:
        # Lives outside the city, often with a child elsewhere.
        return f"{fake.province()}{fake.city()}{fake.street_name()}{rng.randint(1, 300)}号"
    street = areas_by_code[home.parent_code]
    district = areas_by_code[street.parent_code]
    if home.kind == Area.Kind.VILLAGE:
        return f"{district.name}{street.name}{home.name}{rng.randint(1, 12)}组{rng.randint(1, 80)}号"
    return (
        f"{district.name}{street.name}{home.name}{rng.randint(1, 30)}栋{rng.randint(1, 4)}单元"
        f"{rng.randint(1, 18)}{rng.randint(1, 4):02d}室"
    )


def _five_elders(rng: random.Random, *, rank: str, born: dt.date, unit: str) -> list[str]:
    tags = []
    if rank in (Cadre.Rank.BUREAU, Cadre.Rank.COUNTY) and rng.random() < 0.15:
        tags.append(Cadre.FiveElders.OLD_CADRE.value)
    if born.year < 1950 and rng.random() < 0.08:
        tags.append(Cadre.FiveElders.VETERAN.value)
    if rng.random() < 0.04:
        tags.append(Cadre.FiveElders.EXPERT.value)
    if rng.random() < (0.3 if "教育" in unit or "中学" in unit or "学院" in unit else 0.01):
        tags.append(Cadre.FiveElders.TEACHER.value)
    if rng.random() < 0.03:
        tags.append(Cadre.FiveElders.MODEL_WORKER.value)
    return tags
