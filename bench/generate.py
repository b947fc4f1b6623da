"""Scale data for PostgreSQL: N cadres (up to a million) in branch and area trees, written with COPY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cp_bench python bench/generate.py --cadres 1000000 --seed 1

It wipes the registry first (areas, branches, cadres, memberships, officers, and through
CASCADE every table that points at them, users included), then writes about one 党支部 per
200 cadres under a few district committees, a city > district > street > community tree,
cadres with valid, unique ID numbers (and the birthday keys Cadre.save() derives), their
current memberships and each branch's officers.
The services would take hours for a million rows; COPY takes a minute or two.
"""

import argparse
import dataclasses
import datetime as dt
import functools
import io
import itertools
import json
import os
import random
import sys
import time
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadre_portal.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from branches.models import Area, Branch, BranchMembership, BranchOfficer  # noqa: E402
from cadres.models import Cadre  # noqa: E402
from core import demo_data, idcard  # noqa: E402

CADRES_PER_BRANCH = 200
BRANCHES_PER_GENERAL_BRANCH = 20
CADRES_PER_COMMUNITY = 400
COMMUNITIES_PER_STREET = 10
CHUNK = 100_000
REGISTRY_MODELS = (BranchOfficer, BranchMembership, Cadre, Branch, Area)

# Every district and county of Chengdu with its GB/T 2260 code: enough for ten committees.
CITY = ("成都市", "510100")
DISTRICTS = [
    ("锦江区", "510104"), ("青羊区", "510105"), ("金牛区", "510106"), ("武侯区", "510107"),
    ("成华区", "510108"), ("龙泉驿区", "510112"), ("青白江区", "510113"), ("新都区", "510114"),
    ("温江区", "510115"), ("双流区", "510116"), ("郫都区", "510117"), ("新津区", "510118"),
    ("金堂县", "510121"), ("大邑县", "510129"), ("蒲江县", "510131"), ("都江堰市", "510181"),
    ("彭州市", "510182"), ("邛崃市", "510183"), ("崇州市", "510184"), ("简阳市", "510185"),
]  # fmt: skip
REGION_CODES = [code for _name, code in DISTRICTS] + demo_data.OTHER_REGION_CODES
# A district of a big city has some thirty units with retirees of their own.
UNITS = demo_data.DISTRICT_UNITS + [
    "税务局", "市场监管局", "交通运输局", "文旅局", "统计局", "审计局", "司法局", "应急管理局",
    "退役军人事务局", "科技局", "商务局", "自然资源局", "生态环境局", "第一中学", "实验小学", "人民医院",
    "中医医院", "供销社", "机关事务局", "档案馆",
]  # fmt: skip

# The hundred commonest surnames with their rough share (per mille) of the population.
SURNAMES = [
    ("王", 71), ("李", 70), ("张", 68), ("刘", 54), ("陈", 45), ("杨", 31), ("黄", 22), ("赵", 20),
    ("吴", 20), ("周", 19), ("徐", 15), ("孙", 15), ("马", 13), ("朱", 13), ("胡", 12), ("郭", 12),
    ("何", 12), ("高", 11), ("林", 11), ("罗", 10), ("郑", 10), ("梁", 9), ("谢", 8), ("宋", 8),
    ("唐", 8), ("许", 7), ("韩", 7), ("冯", 7), ("邓", 7), ("曹", 7), ("彭", 6), ("曾", 6),
    ("肖", 6), ("田", 6), ("董", 5), ("袁", 5), ("潘", 5), ("于", 5), ("蒋", 5), ("蔡", 5),
    ("余", 5), ("杜", 5), ("叶", 5), ("程", 5), ("苏", 4), ("魏", 4), ("吕", 4), ("丁", 4),
    ("任", 4), ("沈", 4), ("姚", 4), ("卢", 4), ("姜", 4), ("崔", 4), ("钟", 4), ("谭", 3),
    ("陆", 3), ("汪", 3), ("范", 3), ("金", 3), ("石", 3), ("廖", 3), ("贾", 3), ("夏", 3),
    ("韦", 3), ("付", 3), ("方", 3), ("白", 3), ("邹", 3), ("孟", 3), ("熊", 3), ("秦", 3),
    ("邱", 3), ("江", 3), ("尹", 3), ("薛", 3), ("闫", 3), ("段", 3), ("雷", 2), ("侯", 2),
    ("龙", 2), ("史", 2), ("陶", 2), ("黎", 2), ("贺", 2), ("顾", 2), ("毛", 2), ("郝", 2),
    ("龚", 2), ("邵", 2), ("万", 2), ("钱", 2), ("严", 2), ("覃", 2), ("武", 2), ("戴", 2),
]  # fmt: skip
# One-character given names make the two-character full names (张伟, 王芳) that repeat most.
SINGLE_NAMES_MALE = [
    "伟", "强", "磊", "军", "勇", "杰", "涛", "明", "刚", "平", "辉", "斌", "华", "林", "峰", "建",
    "国", "文", "兵", "波", "鹏", "超", "亮", "健", "飞", "宏", "海", "忠", "新", "春",
]  # fmt: skip
SINGLE_NAMES_FEMALE = [
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "玲", "萍", "红", "梅", "英", "兰", "燕", "琴",
    "云", "华", "珍", "莉", "凤", "洁", "慧", "颖", "秀", "桂", "荣", "琳", "芬", "平",
]  # fmt: skip
DOUBLE_NAMES_MALE = demo_data.ERA_NAMES_MALE + [
    "志明", "永红", "德华", "建平", "国华", "振国", "海涛", "文华", "明亮", "晓东", "庆华", "春生",
    "宝山", "长江", "玉林", "汉民", "耀华", "家明", "树林", "金龙",
]  # fmt: skip
DOUBLE_NAMES_FEMALE = demo_data.ERA_NAMES_FEMALE + [
    "桂香", "玉华", "素英", "丽娟", "海燕", "红霞", "小红", "春梅", "冬梅", "月英", "金凤", "玉芳",
    "淑兰", "秀梅", "晓燕", "丽萍", "建华", "美玲", "慧敏", "文静",
]  # fmt: skip
SINGLE_NAME_SHARE = 0.3
NULL = "\\N"


def generate(cursor, *, cadres: int, seed: int, today: dt.date | None = None, log=print) -> dict[str, int]:
    """Wipe the registry and write `cadres` cadres with branches, areas, memberships and officers."""
    if getattr(cursor, "db", connection).vendor != "postgresql" or not hasattr(cursor, "copy_expert"):
        raise RuntimeError("bench/generate.py writes with PostgreSQL's COPY; it needs a PostgreSQL cursor.")
    rng = random.Random(seed)
    today = today or timezone.localdate()
    now = timezone.now().isoformat()
    timer = _Timer(log)
    with transaction.atomic(using=cursor.db.alias):
        _wipe_registry(cursor, log)
        timer.lap("wiped the registry")
        areas = plan_area_tree(rng, cadres=cadres)
        branches = plan_branch_tree(rng, cadres=cadres, areas=areas, today=today)
        _copy(cursor, Area, ["id", "path", "depth", "numchild", "created_at", "updated_at", "name", "kind", "code"],
              ((a["id"], a["path"], a["depth"], a["numchild"], now, now, a["name"], a["kind"], a["code"])
               for a in areas))  # fmt: skip
        _copy(
            cursor,
            Branch,
            ["id", "path", "depth", "numchild", "created_at", "updated_at", "name", "kind", "area_id",
             "former_unit", "founded_on", "term_years", "liaison_name", "liaison_phone", "liaison_unit"],
            ((b["id"], b["path"], b["depth"], b["numchild"], now, now, b["name"], b["kind"], b["area_id"],
              b["unit"], b["founded_on"], b["term_years"], "", "", "") for b in branches),
        )  # fmt: skip
        timer.lap(f"{len(areas):,} areas and {len(branches):,} branches")
        counts = _copy_cadres(
            cursor, rng, cadres=cadres, areas=areas, branches=branches, today=today, now=now
        )
        timer.lap(
            f"{cadres:,} cadres, {counts['memberships']:,} memberships, {counts['officers']:,} officers"
        )
        _reset_sequences(cursor)
        for model in REGISTRY_MODELS:
            cursor.execute(f"ANALYZE {_table(model)}")
        timer.lap("analyzed")
    timer.lap("committed (PostgreSQL checks the deferred foreign keys here)")
    log(f"{timer.total():7.1f} s  in all")
    return {"areas": len(areas), "branches": len(branches), "cadres": cadres, **counts}


def plan_area_tree(rng: random.Random, *, cadres: int) -> list[dict]:
    """City > districts > streets > communities, with treebeard paths; about one community per 400 cadres."""
    district_count = _district_count(cadres)
    communities = max(3 * district_count, cadres // CADRES_PER_COMMUNITY)
    streets_per_district = max(1, communities // district_count // COMMUNITIES_PER_STREET)
    city = {"name": CITY[0], "kind": Area.Kind.CITY, "code": f"{CITY[1]}000000", "children": []}
    for name, code in DISTRICTS[:district_count]:
        district = {"name": name, "kind": Area.Kind.DISTRICT, "code": f"{code}000000", "children": []}
        city["children"].append(district)
        for number in range(1, streets_per_district + 1):
            stem = _numbered(demo_data.STREET_STEMS, number)
            street = {
                "name": f"{stem}街道",
                "kind": Area.Kind.STREET,
                "code": f"{code}{number:03d}000",
                "children": [],
            }
            district["children"].append(street)
            for local in range(1, COMMUNITIES_PER_STREET + 1):
                stem = _numbered(demo_data.COMMUNITY_STEMS, local + number)
                street["children"].append(
                    {"name": f"{stem}社区", "kind": Area.Kind.COMMUNITY, "code": f"{code}{number:03d}{local:03d}",
                     "children": []}
                )  # fmt: skip
    return _flatten_tree(city, Area)


def plan_branch_tree(rng: random.Random, *, cadres: int, areas: list[dict], today: dt.date) -> list[dict]:
    """党工委 > district 党委 > 党总支 > 党支部 with treebeard paths; about one 党支部 per 200 cadres."""
    districts = [a for a in areas if a["kind"] == Area.Kind.DISTRICT]
    branch_count = max(len(districts), round(cadres / CADRES_PER_BRANCH))
    root = _branch_node(
        demo_data.WORKING_COMMITTEE_NAME, Branch.Kind.WORKING_COMMITTEE, areas[0], dt.date(1990, 7, 1)
    )
    for position, district in enumerate(districts):
        share = len(range(position, branch_count, len(districts)))
        founded = _random_date(rng, dt.date(1992, 1, 1), dt.date(2000, 12, 31))
        committee = _branch_node(
            f"{district['name']}离退休干部党委", Branch.Kind.COMMITTEE, district, founded
        )
        root["children"].append(committee)
        for number in range(1, max(1, round(share / BRANCHES_PER_GENERAL_BRANCH)) + 1):
            founded = _random_date(rng, dt.date(1995, 1, 1), dt.date(2010, 12, 31))
            name = f"{district['name']}离退休干部第{_ordinal(number)}党总支"
            committee["children"].append(
                _branch_node(
                    name, Branch.Kind.GENERAL_BRANCH, district, founded, term_years=rng.choice([3, 5])
                )
            )
        generals = committee["children"]
        for number in range(share):
            unit = f"{district['name']}{UNITS[number % len(UNITS)]}"
            ordinal = _ordinal(number // len(UNITS) + 1)
            founded = _random_date(rng, dt.date(1998, 1, 1), min(today, dt.date(2022, 12, 31)))
            term_years = rng.choice([3, 3, 3, 5])
            # One in a hundred is a temporary branch (senior university, choir, activity centre).
            if number % 100 == 99:
                name, kind = f"{district['name']}老年大学第{ordinal}临时党支部", Branch.Kind.TEMPORARY
            else:
                name, kind = f"{unit}离退休干部第{ordinal}党支部", Branch.Kind.BRANCH
            generals[number % len(generals)]["children"].append(
                _branch_node(name, kind, district, founded, unit=unit, term_years=term_years)
            )
    return _flatten_tree(root, Branch)


def _branch_node(name, kind, area, founded_on, *, unit="", term_years=5) -> dict:
    return {"name": name, "kind": kind, "area_id": area["id"], "unit": unit, "founded_on": founded_on,
            "term_years": term_years, "children": []}  # fmt: skip


def tree_step(model, position: int) -> str:
    """The path step of the `position`-th child (from 1) as treebeard's MP_Node writes it."""
    base = len(model.alphabet)
    digits = ""
    while position:
        position, digit = divmod(position, base)
        digits = model.alphabet[digit] + digits
    if len(digits) > model.steplen:
        raise ValueError(f"More than {base**model.steplen - 1} children under one {model.__name__}.")
    return digits.rjust(model.steplen, model.alphabet[0])


def _flatten_tree(root: dict, model) -> list[dict]:
    # Ids in depth-first order; siblings in name order when the model sets treebeard's
    # node_order_by, otherwise in the order they were made (as add_child appends them).
    nodes = []
    ids = itertools.count(1)
    order_key = model.node_order_by[0] if model.node_order_by else None

    def visit(node, path):
        node.update(id=next(ids), path=path, depth=len(path) // model.steplen, numchild=len(node["children"]))
        nodes.append(node)
        children = (
            sorted(node["children"], key=lambda child: child[order_key]) if order_key else node["children"]
        )
        for position, child in enumerate(children, start=1):
            child["parent_id"] = node["id"]
            visit(child, path + tree_step(model, position))

    visit(root, tree_step(model, 1))
    for node in nodes:
        del node["children"]
    return nodes


@dataclasses.dataclass
class _World:
    """What every cadre row is drawn from: the trees, the ID-number counters, the dates."""

    today: int
    now: str
    party_branches: list[dict]
    branch_weights: list[float]
    communities_by_district: dict[int, list[dict]]
    area_names: dict[int, str]
    parent_of_area: dict[int, int]
    first_day: int
    last_day: int
    # One counter per region, birth day and sex keeps ID numbers unique without a set of a
    # million strings: 2 bytes a counter, about 2.6 MB in all.
    sequences: array
    # The first two young enough living members of each branch become its secretary and deputy.
    officer_candidates: dict[int, list[int]] = dataclasses.field(default_factory=dict)


def _copy_cadres(cursor, rng, *, cadres, areas, branches, today, now) -> dict[str, int]:
    world = _build_world(rng, areas=areas, branches=branches, today=today, now=now)
    surnames, surname_weights = zip(*SURNAMES, strict=True)
    surname_weights = list(itertools.accumulate(surname_weights))
    memberships = 0
    for start in range(1, cadres + 1, CHUNK):
        size = min(CHUNK, cadres + 1 - start)
        chunk_surnames = rng.choices(surnames, cum_weights=surname_weights, k=size)
        cadre_rows, membership_rows = [], []
        for offset in range(size):
            cadre_row, cadre_memberships = _draw_cadre(
                rng, world, cadre_id=start + offset, surname=chunk_surnames[offset]
            )
            cadre_rows.append(cadre_row)
            membership_rows += cadre_memberships
        _copy(cursor, Cadre, CADRE_COLUMNS, cadre_rows)
        _copy(cursor, BranchMembership, ["cadre_id", "branch_id", "joined_on", "left_on"], membership_rows)
        memberships += len(membership_rows)
    officer_rows = _officer_rows(rng, world, branches)
    officer_columns = ["created_at", "updated_at", "branch_id", "cadre_id", "role", "term_start", "term_end"]
    _copy(cursor, BranchOfficer, officer_columns, officer_rows)
    return {"memberships": memberships, "officers": len(officer_rows)}


def _build_world(rng, *, areas, branches, today, now) -> _World:
    party_branches = [b for b in branches if b["kind"] in (Branch.Kind.BRANCH, Branch.Kind.TEMPORARY)]
    communities_by_district: dict[int, list[dict]] = {}
    district_of_street = {}
    for area in areas:
        if area["kind"] == Area.Kind.DISTRICT:
            communities_by_district[area["id"]] = []
        elif area["kind"] == Area.Kind.STREET:
            district_of_street[area["id"]] = area["parent_id"]
        elif area["kind"] == Area.Kind.COMMUNITY:
            communities_by_district[district_of_street[area["parent_id"]]].append(area)
    first_day = dt.date(1925, 1, 1).toordinal()
    last_day = min(dt.date(1965, 12, 31).toordinal(), today.toordinal() - 60 * 366)
    return _World(
        today=today.toordinal(),
        now=now,
        party_branches=party_branches,
        # Retiree branches differ a lot in size: a big school system beside a small office.
        branch_weights=list(itertools.accumulate(rng.uniform(0.4, 2.0) for _branch in party_branches)),
        communities_by_district=communities_by_district,
        area_names={a["id"]: a["name"] for a in areas},
        parent_of_area={a["id"]: a.get("parent_id") for a in areas},
        first_day=first_day,
        last_day=last_day,
        sequences=array("H", bytes(2 * len(REGION_CODES) * (last_day - first_day + 1) * 2)),
    )


CADRE_COLUMNS = [
    "id", "created_at", "updated_at", "name", "sex", "ethnicity", "id_number", "birth_date", "birthday_calendar",
    "retirement_type", "retired_on", "former_unit", "former_post", "rank", "party_join_date", "five_elders",
    "area_id", "address", "lives_elsewhere", "special_hardship", "phone", "health_notes", "emergency_contact",
    "deceased_on", "notes", "branch_id",
    "birth_month_day", "lunar_birth_year", "lunar_birth_month_day", "party_join_month_day",
]  # fmt: skip
LIXIU_BORN_BEFORE = dt.date(1933, 1, 1).toordinal()
POSTWAR_BORN_FROM = dt.date(1946, 1, 1).toordinal()
RANKS = [Cadre.Rank.COUNTY, Cadre.Rank.SECTION, Cadre.Rank.OTHER]
RANK_WEIGHTS = list(itertools.accumulate([12, 50, 38]))
ELSEWHERE = ["北京市朝阳区", "上海市浦东新区", "广州市天河区", "深圳市南山区", "重庆市渝中区", "西安市雁塔区",
             "昆明市五华区", "海口市美兰区", "杭州市西湖区", "南京市鼓楼区"]  # fmt: skip


def _draw_cadre(
    rng: random.Random, world: _World, *, cadre_id: int, surname: str
) -> tuple[tuple, list[tuple]]:
    # Shapes as in core.demo_data, drawn with fewer calls: this runs a million times.
    is_male = rng.random() < 0.66
    sex = idcard.SEX_MALE if is_male else idcard.SEX_FEMALE
    draw = rng.random()
    if draw < 0.04:
        born_ordinal = rng.randint(world.first_day, LIXIU_BORN_BEFORE - 1)
    elif draw < 0.25:
        born_ordinal = rng.randint(LIXIU_BORN_BEFORE, POSTWAR_BORN_FROM - 1)
    else:
        born_ordinal = rng.randint(POSTWAR_BORN_FROM, world.last_day)
    born = dt.date.fromordinal(born_ordinal)
    region_index = rng.randrange(len(DISTRICTS)) if rng.random() < 0.75 else rng.randrange(len(REGION_CODES))
    slot = (
        region_index * (world.last_day - world.first_day + 1) + born_ordinal - world.first_day
    ) * 2 + is_male
    taken = world.sequences[slot]
    if taken >= 500:  # the sequence code holds 500 values per region, day and sex
        raise ValueError(f"Too many cadres born on {born} in {REGION_CODES[region_index]}.")
    world.sequences[slot] = taken + 1
    # Start each day's numbering somewhere different, as real sequence codes look; still unique.
    sequence = (slot * 193 + taken) % 500
    is_lixiu = born_ordinal < LIXIU_BORN_BEFORE and rng.random() < 0.85
    retire_age = rng.randint(58, 65) if is_lixiu else (60 if is_male else 55) + rng.choice([-1, 0, 0, 0, 1])
    retired = min(born_ordinal + retire_age * 365 + retire_age // 4 + rng.randint(0, 60), world.today - 30)
    party_joined = None
    if rng.random() < (0.97 if is_lixiu else 0.85):
        earliest = born_ordinal + 18 * 366  # never before the 18th birthday
        party_joined = rng.randint(earliest, max(earliest, min(retired, earliest + 27 * 365)))

    memberships = []
    branch = rng.choices(world.party_branches, cum_weights=world.branch_weights)[0] if party_joined else None
    deceased = None
    if branch is None:
        district_id = rng.choice(list(world.communities_by_district))
        unit = f"{world.area_names[district_id]}{rng.choice(UNITS)}"
    else:
        district_id, unit = branch["area_id"], branch["unit"]
        joined = min(max(retired, branch["founded_on"].toordinal()) + rng.randint(0, 365), world.today)
        if rng.random() < 0.015 and joined < world.today - 1:
            # Died: the membership closes on the day and the cadre belongs to no branch.
            deceased = rng.randint(max(joined + 1, world.today - 3 * 365), world.today - 1)
            memberships.append((cadre_id, branch["id"], _iso(joined), _iso(deceased)))
            branch = None
        else:
            if rng.random() < 0.03 and joined > retired + 60:
                # History: an earlier branch, left the day this one was joined.
                earlier = rng.choices(world.party_branches, cum_weights=world.branch_weights)[0]
                if earlier is not branch:
                    memberships.append((cadre_id, earlier["id"], _iso(retired), _iso(joined)))
            memberships.append((cadre_id, branch["id"], _iso(joined), None))
            candidates = world.officer_candidates.setdefault(branch["id"], [])
            if len(candidates) < 2 and born.year >= 1940:
                candidates.append(cadre_id)

    lives_elsewhere = rng.random() < 0.08
    if lives_elsewhere:
        area_id, address = None, f"{rng.choice(ELSEWHERE)}{rng.randint(1, 300)}号"
    else:
        community = rng.choice(world.communities_by_district[district_id])
        area_id = community["id"]
        street_name = world.area_names[world.parent_of_area[area_id]]
        address = (f"{world.area_names[district_id]}{street_name}{community['name']}{rng.randint(1, 30)}栋"
                   f"{rng.randint(1, 4)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}室")  # fmt: skip
    if rng.random() < SINGLE_NAME_SHARE:
        given = rng.choice(SINGLE_NAMES_MALE if is_male else SINGLE_NAMES_FEMALE)
    else:
        given = rng.choice(DOUBLE_NAMES_MALE if is_male else DOUBLE_NAMES_FEMALE)
    rank = rng.choices(RANKS, cum_weights=RANK_WEIGHTS)[0]
    five_elders = json.dumps([rng.choice(Cadre.FiveElders.values)]) if rng.random() < 0.08 else "[]"
    row = (
        cadre_id, world.now, world.now, surname + given, sex,
        "汉族" if rng.random() < 0.94 else rng.choice(demo_data.ETHNICITIES),
        idcard.make_id_number(REGION_CODES[region_index], born, sequence, sex), born.isoformat(),
        Cadre.BirthdayCalendar.LUNAR if rng.random() < 0.3 else Cadre.BirthdayCalendar.SOLAR,
        Cadre.RetirementType.LIXIU if is_lixiu else Cadre.RetirementType.TUIXIU,
        _iso(retired), unit, rng.choice(demo_data.POSTS_BY_RANK[rank]), rank,
        _iso(party_joined) if party_joined else None, five_elders, area_id, address,
        "t" if lives_elsewhere else "f", "t" if rng.random() < 0.05 else "f",
        f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
        "", "", _iso(deceased) if deceased else None, "", branch["id"] if branch else None,
        *birth_keys(born), _month_day(party_joined) if party_joined else None,
    )  # fmt: skip
    return row, memberships


@functools.cache
def birth_keys(born: dt.date) -> tuple[int, int, int]:
    """(birth_month_day, lunar_birth_year, lunar_birth_month_day) as Cadre.save() derives them.

    COPY bypasses save(), and the reminders' rules read these keys. Cached per date: a million
    cadres share some 15,000 birth dates, and the lunar conversion is the costly part.
    """
    cadre = Cadre(birth_date=born)
    cadre.set_calendar_keys()
    return cadre.birth_month_day, cadre.lunar_birth_year, cadre.lunar_birth_month_day


def _month_day(ordinal: int) -> int:
    day = dt.date.fromordinal(ordinal)
    return day.month * 100 + day.day


def _officer_rows(rng: random.Random, world: _World, branches: list[dict]) -> list[tuple]:
    # Terms of 3 or 5 years; about one in five ends within 90 days, so 换届 reminders have work.
    term_years = {b["id"]: b["term_years"] for b in branches}
    rows = []
    roles = [BranchOfficer.Role.SECRETARY, BranchOfficer.Role.DEPUTY_SECRETARY]
    for branch_id, candidates in world.officer_candidates.items():
        term_days = term_years[branch_id] * 365
        ends = world.today + (rng.randint(1, 90) if rng.random() < 0.2 else rng.randint(91, term_days - 30))
        for role, cadre_id in zip(roles, candidates, strict=False):
            rows.append((world.now, world.now, branch_id, cadre_id, role, _iso(ends - term_days), _iso(ends)))
    return rows


def _wipe_registry(cursor, log) -> None:
    # Deferred foreign-key checks pending in this transaction would make TRUNCATE fail.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    notices = cursor.connection.notices
    notices.clear()
    tables = ", ".join(_table(model) for model in REGISTRY_MODELS)
    cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for notice in notices:
        # CASCADE empties every table pointing at the registry, users among them: say which.
        log(f"  {notice.strip().removeprefix('NOTICE:  ')}")


def _copy(cursor, model, fields: list[str], rows) -> None:
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in fields)
    buffer = io.StringIO()
    for row in rows:
        # COPY's text format: \N is NULL; generated values hold no tab, newline or backslash.
        buffer.write("\t".join([NULL if value is None else str(value) for value in row]))
        buffer.write("\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {_table(model)} ({columns}) FROM STDIN", buffer)


def _reset_sequences(cursor) -> None:
    # Rows were written with explicit ids: the next id the app hands out must come after them.
    for model in (Area, Branch, Cadre):
        table = _table(model)
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST((SELECT MAX(id) FROM {table}), 1))",
            [model._meta.db_table],
        )


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _ordinal(number: int) -> str:
    return demo_data.chinese_number(number) if number < 100 else str(number)


def _district_count(cadres: int) -> int:
    return min(10, max(3, cadres // (CADRES_PER_BRANCH * 500)))


def _numbered(stems: list[str], number: int) -> str:
    # Stems run out before places do in a big city: 东风, …, then 东风二, 东风三 …
    stem = stems[(number - 1) % len(stems)]
    round_ = (number - 1) // len(stems)
    return stem if round_ == 0 else f"{stem}{demo_data.chinese_number(round_ % 99 + 1)}"


def _random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return dt.date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))


def _iso(ordinal: int) -> str:
    return dt.date.fromordinal(ordinal).isoformat()


class _Timer:
    def __init__(self, log):
        self.log = log
        self.started = self.last = time.perf_counter()

    def lap(self, what: str) -> None:
        now = time.perf_counter()
        self.log(f"{now - self.last:7.1f} s  {what}")
        self.last = now

    def total(self) -> float:
        return time.perf_counter() - self.started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cadres", type=int, default=10_000, help="How many cadres (default 10,000).")
    parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same data.")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit(
            f"bench/generate.py writes with PostgreSQL's COPY, but DATABASE_URL points to {connection.vendor}. "
            "Set DATABASE_URL=postgres://… to a scratch database: its registry is wiped."
        )
    with connection.cursor() as cursor:
        counts = generate(cursor, cadres=args.cadres, seed=args.seed)
    print(", ".join(f"{count:,} {name}" for name, count in counts.items()))


if __name__ == "__main__":
    main()
