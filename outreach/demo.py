"""Demo outreach for `seed_demo`: lecture groups and lecturers, a year of talks, a 百千万 campaign
part-way to its targets, and publicity of model people and branches.

Built from the areas, branches and cadres seed_demo already made, through the services, so the
demo obeys every rule real records do. The demo secretary's branch owns a group of its own.
"""

import datetime as dt
import random

from django.db.models import Count

from accounts.models import Role, User
from branches.models import Area, Branch
from cadres.models import Cadre
from outreach.models import (
    Campaign,
    LectureGroup,
    LectureGroupMembership,
    Lecturer,
    Publicity,
    TalkEvent,
    Topic,
)
from outreach.services import (
    campaign_create,
    group_create,
    group_member_add,
    lecturer_create,
    publicity_create,
    talk_record,
)

# About one cadre in fourteen lectures: Chengdu's ~1000 lecturers among its veteran cadres.
LECTURER_SHARE = 1 / 14
TALKS_PER_LECTURER = 2
VENUE_WEIGHTS = {"school": 35, "community": 25, "village": 15, "government": 10, "enterprise": 8, "online": 7}
TOPICS_BY_VENUE = {
    "school": ["drowning_prevention", "drug_prevention", "party_history", "family_values"],
    "community": ["party_history", "policy_theory", "family_values", "rule_of_law"],
    "village": ["rural_revitalisation", "policy_theory", "rule_of_law", "party_history"],
    "government": ["party_history", "policy_theory"],
    "enterprise": ["policy_theory", "rule_of_law", "party_history"],
    "online": ["party_history", "policy_theory", "drowning_prevention"],
}
TITLES = {
    "party_history": ["学党史 守初心 传薪火", "传承红色基因 争做时代新人", "我亲历的峥嵘岁月"],
    "policy_theory": ["学习贯彻党的二十届四中全会精神", "走进新时代 助力新征程", "用改革思维推动高质量发展"],
    "rural_revitalisation": ["银发助力乡村振兴", "讲给乡亲们听的惠农政策"],
    "drowning_prevention": ["珍爱生命 预防溺水", "暑期防溺水安全第一课"],
    "drug_prevention": ["远离毒品 健康成长", "禁毒知识进校园"],
    "family_values": ["好家风代代传", "老党员讲家教家风故事"],
    "rule_of_law": ["法治护航 平安社区", "民法典与百姓生活"],
    "other": ["银龄讲堂"],
}
GRASSROOTS_VENUES = {"community", "village", "government", "enterprise"}
SCHOOLS = ["实验小学", "第一中学", "育才小学", "东城中学", "师范附属小学", "职业技术学校"]
ENTERPRISES = ["城市建设集团", "自来水公司", "电力公司", "高新区科技园"]
ONLINE = ["“离退休干部工作”网上报告会", "“银发宣讲”直播课堂"]
OUTLETS = [
    ("人民日报", "national"),
    ("学习强国", "national"),
    ("省委老干部局“银发生辉”专栏", "provincial"),
    ("市电视台", "city"),
    ("市融媒体中心", "city"),
    ("区融媒体中心", "district"),
]


def seed_outreach(*, seed: int, today: dt.date) -> dict[str, int]:
    """Create lecture groups, lecturers, a year of talks up to `today`, two campaigns and publicity;
    returns counts. Does nothing when lecturers already exist, so a second run changes nothing."""
    if not Lecturer.objects.exists():
        _seed(random.Random(seed), today=today)
    return {
        "lecture groups": LectureGroup.objects.count(),
        "lecturers": Lecturer.objects.count(),
        "talks": TalkEvent.objects.count(),
        "campaigns": Campaign.objects.count(),
        "publicity": Publicity.objects.count(),
    }


def _seed(rng: random.Random, *, today: dt.date) -> None:
    secretary = User.objects.filter(role=Role.BRANCH_SECRETARY, branch__isnull=False).order_by("pk").first()
    own_branch = secretary.branch if secretary else _busiest_branch()
    lecturers = _seed_lecturers(rng, own_branch=own_branch)
    groups, own_group = _seed_groups(rng, lecturers=lecturers, own_branch=own_branch, today=today)
    campaigns = _seed_campaigns(own_branch=own_branch, today=today)
    _seed_talks(rng, groups=groups, own_group=own_group, campaigns=campaigns, today=today)
    _seed_publicity(rng, lecturers=lecturers, own_branch=own_branch, today=today)


def _busiest_branch() -> Branch | None:
    return (
        Branch.objects.annotate(members=Count("cadres"))
        .filter(members__gt=0)
        .order_by("-members", "path")
        .first()
    )


def _seed_lecturers(rng: random.Random, *, own_branch: Branch | None) -> list[Lecturer]:
    living = list(
        Cadre.objects.filter(deceased_on__isnull=True, branch__isnull=False)
        .order_by("id")
        .only("id", "name", "five_elders", "branch_id", "area_id", "deceased_on")
    )
    # The five elders (五老) are the natural lecturers: they come first, then others at random.
    tagged = [cadre for cadre in living if cadre.five_elders]
    others = [cadre for cadre in living if not cadre.five_elders]
    wanted = max(12, round(len(living) * LECTURER_SHARE))
    chosen = (tagged + rng.sample(others, k=len(others)))[:wanted]
    if own_branch is not None:
        own = [cadre for cadre in living if cadre.branch_id == own_branch.pk][:4]
        chosen += [cadre for cadre in own if cadre not in chosen]
    lecturers = []
    for cadre in sorted(chosen, key=lambda c: c.pk):
        lecturers.append(
            lecturer_create(
                cadre=cadre,
                category=""
                if cadre.five_elders
                else rng.choice(["old_cadre", "old_cadre", "teacher", "veteran"]),
                topics=sorted(rng.sample(Topic.values[:-1], k=rng.randint(1, 3))),
                availability=rng.choice(Lecturer.Availability.values),
                is_active=rng.random() > 0.06,
            )
        )
    return lecturers


def _seed_groups(
    rng: random.Random, *, lecturers: list[Lecturer], own_branch: Branch | None, today: dt.date
) -> tuple[list[LectureGroup], LectureGroup | None]:
    founded = dt.date(today.year - 3, 3, 1)
    city = Area.objects.filter(depth=1).order_by("path").first()
    districts = list(Area.objects.filter(kind=Area.Kind.DISTRICT).order_by("path")[:5])
    city_groups = [
        group_create(name="“银发生辉”老干部宣讲团", level="city", area=city, founded_on=founded),
        group_create(name="“五老”党史宣讲分团", level="city", area=city, founded_on=founded),
    ]
    district_groups = {
        district.path: group_create(
            name=f"{district.name}“五老”宣讲团", level="district", area=district, founded_on=founded
        )
        for district in districts
    }
    own_group = None
    if own_branch is not None:
        own_group = group_create(
            name=f"{own_branch.former_unit or own_branch.name}老党员宣讲小组",
            level="branch",
            branch=own_branch,
            area=own_branch.area,
            founded_on=founded,
        )
    area_paths = dict(Area.objects.values_list("pk", "path"))
    for lecturer in lecturers:
        if not lecturer.is_active:
            continue
        if own_group is not None and lecturer.cadre.branch_id == own_branch.pk:
            groups = [own_group]
        else:
            path = area_paths.get(lecturer.cadre.area_id, "")
            home = next((group for prefix, group in district_groups.items() if path.startswith(prefix)), None)
            groups = [home] if home else [rng.choice(city_groups)]
            if rng.random() < 0.15:
                groups.append(city_groups[1])
        for group in dict.fromkeys(groups):
            joined = founded + dt.timedelta(days=rng.randint(0, 300))
            group_member_add(group=group, lecturer=lecturer, joined_on=joined)
    groups = city_groups + list(district_groups.values()) + ([own_group] if own_group else [])
    return groups, own_group


def _seed_campaigns(*, own_branch: Branch | None, today: dt.date) -> list[Campaign]:
    # Heze's 百千万 行动: 100 lecturers, 1000 talks, 10000 listeners planned, part-way done.
    start = (today - dt.timedelta(days=300)).replace(day=1)
    campaigns = [
        campaign_create(
            name="“百千万”宣讲行动",
            starts_on=start,
            ends_on=dt.date(start.year + 1, start.month, 1) - dt.timedelta(days=1),
            target_lecturers=100,
            target_talks=1000,
            target_audience=10000,
            note="百名宣讲员、千场宣讲、万人受众",
        )
    ]
    if own_branch is not None:
        own_start = (today - dt.timedelta(days=45)).replace(day=1)
        campaigns.append(
            campaign_create(
                name="“红色家风”宣讲月",
                starts_on=own_start,
                ends_on=own_start + dt.timedelta(days=89),
                branch=own_branch,
                target_lecturers=3,
                target_talks=12,
                target_audience=600,
            )
        )
    return campaigns


def _seed_talks(
    rng: random.Random,
    *,
    groups: list[LectureGroup],
    own_group: LectureGroup | None,
    campaigns: list[Campaign],
    today: dt.date,
) -> None:
    members = {}
    for membership in LectureGroupMembership.objects.select_related("lecturer__cadre").order_by("id"):
        members.setdefault(membership.group_id, []).append(membership)
    places = list(Area.objects.filter(kind__in=[Area.Kind.COMMUNITY, Area.Kind.VILLAGE]).order_by("path"))
    total = TALKS_PER_LECTURER * sum(len(rows) for rows in members.values())
    venues, weights = zip(*VENUE_WEIGHTS.items(), strict=True)
    for _ in range(total):
        group = own_group if own_group is not None and rng.random() < 0.06 else rng.choice(groups)
        held_on = today - dt.timedelta(days=rng.randint(0, 364))
        available = [row.lecturer for row in members.get(group.pk, []) if row.joined_on <= held_on]
        if not available:
            continue
        lecturers = rng.sample(available, k=min(len(available), rng.choice([1, 1, 1, 2])))
        venue_type = rng.choices(venues, weights=weights)[0]
        topic = rng.choice(TOPICS_BY_VENUE[venue_type])
        audience, youth = _audience(rng, venue_type)
        area = _place(rng, places, group)
        talk_record(
            group=group,
            lecturers=lecturers,
            held_on=held_on,
            topic=topic,
            title=rng.choice(TITLES[topic]),
            venue_type=venue_type,
            venue_name=_venue_name(rng, venue_type, area),
            area=area,
            audience=audience,
            youth_audience=youth,
            campaign=_campaign_for(rng, campaigns, group=group, held_on=held_on, venue_type=venue_type),
        )


def _audience(rng: random.Random, venue_type: str) -> tuple[int, int]:
    if venue_type == "school":
        audience = rng.randint(120, 600)
        return audience, round(audience * rng.uniform(0.9, 0.98))
    if venue_type == "online":
        audience = rng.randint(200, 2000)
        return audience, round(audience * rng.uniform(0.1, 0.4))
    if venue_type == "enterprise":
        audience = rng.randint(30, 120)
        return audience, round(audience * rng.uniform(0.2, 0.5))
    audience = rng.randint(20, 120)
    return audience, round(audience * rng.uniform(0, 0.1))


def _place(rng: random.Random, places: list[Area], group: LectureGroup) -> Area | None:
    if not places:
        return None
    if group.area_id is not None and group.level != "city":
        inside = [area for area in places if area.path.startswith(group.area.path)]
        if inside:
            return rng.choice(inside)
    return rng.choice(places)


def _venue_name(rng: random.Random, venue_type: str, area: Area | None) -> str:
    where = area.name if area else ""
    if venue_type == "school":
        return rng.choice(SCHOOLS)
    if venue_type == "community":
        return f"{where}党群服务中心"
    if venue_type == "village":
        return f"{where}新时代文明实践站"
    if venue_type == "government":
        return "市级机关会议中心"
    if venue_type == "enterprise":
        return rng.choice(ENTERPRISES)
    return rng.choice(ONLINE)


def _campaign_for(
    rng: random.Random, campaigns: list[Campaign], *, group: LectureGroup, held_on: dt.date, venue_type: str
) -> Campaign | None:
    # Like Heze's, the campaign's talks are small grassroots ones: not schools or online audiences.
    if venue_type not in GRASSROOTS_VENUES:
        return None
    for campaign in reversed(campaigns):  # a branch's own campaign first
        if not campaign.starts_on <= held_on <= campaign.ends_on:
            continue
        if campaign.branch_id is not None and campaign.branch_id != group.branch_id:
            continue
        if rng.random() < 0.7:
            return campaign
    return None


def _seed_publicity(
    rng: random.Random, *, lecturers: list[Lecturer], own_branch: Branch | None, today: dt.date
) -> None:
    people = rng.sample(lecturers, k=min(8, len(lecturers)))
    for lecturer in people:
        outlet, level = rng.choice(OUTLETS)
        publicity_create(
            title=f"{lecturer.cadre.name}：退休不褪色，宣讲传薪火",
            cadre=lecturer.cadre,
            outlet=outlet,
            level=level,
            published_on=today - dt.timedelta(days=rng.randint(0, 364)),
        )
    branches = list(Branch.objects.filter(kind=Branch.Kind.BRANCH).order_by("path")[:40])
    chosen = rng.sample(branches, k=min(3, len(branches)))
    if own_branch is not None and own_branch not in chosen:
        chosen.append(own_branch)
    for branch in chosen:
        outlet, level = rng.choice(OUTLETS)
        publicity_create(
            title=f"{branch.name}创建“1+5”老干部党员服务社区模式",
            branch=branch,
            outlet=outlet,
            level=level,
            published_on=today - dt.timedelta(days=rng.randint(0, 364)),
        )
