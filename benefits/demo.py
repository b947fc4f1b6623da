"""Demo care records for `seed_demo`: occasions of the six kinds (六必访) over the last months,
most visited in time and a few overdue, routine visits, and one-to-one contact of staff with
cadres in special hardship, some of them behind.

Built from the branches and cadres seed_demo already made, through the services, so the demo
obeys every rule real records do. The demo secretary's branch always has some of each.
"""

import datetime as dt
import random
from decimal import Decimal

from accounts.models import Role, User
from benefits.models import (
    CondolenceCampaign,
    ContactAssignment,
    ContactLog,
    HealthCheck,
    MedalAward,
    Occasion,
    SanatoriumTrip,
    Visit,
)
from benefits.rules import visit_due_days
from benefits.services import (
    assignment_create,
    campaign_create,
    campaign_generate_targets,
    contact_log_record,
    health_check_record,
    medal_award,
    occasion_record,
    target_tick,
    trip_add_participant,
    trip_create,
    visit_record,
)
from cadres.models import Cadre

OCCASION_SHARE = 1 / 12
KIND_WEIGHTS = {"hospitalised": 45, "family_event": 12, "hardship": 18, "festival": 25}
NOTES = {
    "hospitalised": ["脑梗住院治疗", "髋关节骨折手术", "肺部感染住院", "心脏支架术后", "糖尿病并发症住院"],
    "family_event": ["老伴去世", "子女重病", "家中遭遇火灾"],
    "hardship": ["独居，行动不便", "医疗费用负担重", "失独老人，生活困难"],
    "festival": ["春节走访慰问", "七一走访慰问老党员", "国庆走访慰问"],
}
VISITORS = [
    "局领导、干部科",
    "支部书记、组织委员",
    "老干部服务中心工作人员",
    "局长、支部书记",
    "原单位领导、支部委员",
]
GIFTS = {
    "hospitalised": ["鲜花、水果", "营养品"],
    "family_event": ["慰问品"],
    "hardship": ["米、油", "慰问品"],
    "festival": ["米、油", "年货", "月饼、水果"],
    "milestone_birthday": ["生日蛋糕、鲜花", "寿礼"],
    "death": ["花圈"],
    "routine": ["", "水果"],
}
MONEY = {
    "hospitalised": [500, 800, 1000],
    "family_event": [1000, 2000],
    "hardship": [1000, 2000, 3000],
    "festival": [500, 800],
    "milestone_birthday": [500, 1000],
    "death": [2000, 3000],
}


def seed_benefits(*, seed: int, today: dt.date) -> dict[str, int]:
    """Create occasions, visits and one-to-one contacts up to `today`; returns counts.
    Does nothing when occasions already exist, so a second run changes nothing."""
    if not Occasion.objects.exists():
        _seed(random.Random(seed), today=today)
    return {
        "occasions": Occasion.objects.count(),
        "visits": Visit.objects.count(),
        "contact assignments": ContactAssignment.objects.count(),
        "contacts": ContactLog.objects.count(),
        "condolence campaigns": CondolenceCampaign.objects.count(),
        "health checks": HealthCheck.objects.count(),
        "sanatorium trips": SanatoriumTrip.objects.count(),
        "medals": MedalAward.objects.count(),
    }


def _seed(rng: random.Random, *, today: dt.date) -> None:
    staff = list(
        User.objects.filter(role__in=[Role.BUREAU_STAFF, Role.BUREAU_ADMIN], is_active=True).order_by("pk")
    )
    secretary = User.objects.filter(role=Role.BRANCH_SECRETARY, branch__isnull=False).order_by("pk").first()
    living = list(
        Cadre.objects.filter(deceased_on__isnull=True, branch__isnull=False)
        .order_by("id")
        .only("id", "name", "birth_date", "branch_id", "deceased_on")
    )
    recorder = staff[0] if staff else None
    own = [cadre for cadre in living if secretary and cadre.branch_id == secretary.branch_id]
    chosen = {
        cadre.pk: cadre for cadre in rng.sample(living, min(len(living), int(len(living) * OCCASION_SHARE)))
    }
    chosen.update({cadre.pk: cadre for cadre in own[:4]})  # the demo secretary has work to see
    occasions = []
    for cadre in chosen.values():
        kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
        occurred_on = (
            _festival_day(rng, today) if kind == "festival" else today - dt.timedelta(rng.randint(0, 150))
        )
        occasions.append(_occasion(rng, cadre, kind, occurred_on, recorder))
    for cadre in living:
        age = today.year - cadre.birth_date.year
        birthday = _birthday(cadre.birth_date, today.year)
        if age >= 80 and age % 5 == 0 and birthday <= today and (today - birthday).days <= 180:
            occasions.append(_occasion(rng, cadre, "milestone_birthday", birthday, recorder))
    deceased = Cadre.objects.filter(deceased_on__gte=today - dt.timedelta(days=365), branch__isnull=False)
    for cadre in deceased.order_by("id").only("id", "name", "deceased_on"):
        occasions.append(_occasion(rng, cadre, "death", cadre.deceased_on, recorder))
    for occasion in occasions:
        _maybe_visit(rng, occasion, today=today)
    for cadre in rng.sample(living, min(len(living), len(living) // 40)):
        visit_record(
            cadre=cadre,
            visited_on=today - dt.timedelta(rng.randint(0, 300)),
            visitors=rng.choice(VISITORS),
            gift=rng.choice(GIFTS["routine"]),
            recorded_by=recorder,
        )
    hardship = [o.cadre for o in occasions if o.kind == "hardship"] + own[4:6]
    _seed_contacts(rng, hardship, staff=staff, secretary=secretary, today=today)
    _seed_campaign(rng, today=today, recorder=recorder)
    _seed_living(rng, living, today=today, recorder=recorder)
    _seed_medals(rng, today=today, recorder=recorder)


def _seed_medals(rng: random.Random, *, today: dt.date, recorder) -> None:
    """Last 1 July's 50-year medals for most of those due then; the rest are still due."""
    from benefits.selectors import medals_due

    july = dt.date(today.year, 7, 1) if today >= dt.date(today.year, 7, 1) else dt.date(today.year - 1, 7, 1)
    for cadre in list(medals_due(year=july.year)):
        if rng.random() < 0.7:
            medal_award(
                cadre=cadre,
                kind="party_50_years",
                awarded_on=july,
                note="“光荣在党50年”纪念章",
                recorded_by=recorder,
            )


def _seed_campaign(rng: random.Random, *, today: dt.date, recorder) -> None:
    """The bureau's latest Spring Festival campaign for cadres of 80 and over, mostly done."""
    year = today.year if today >= dt.date(today.year, 2, 10) else today.year - 1
    campaign = campaign_create(
        name=f"{year}年春节走访慰问老干部",
        festival="spring_festival",
        starts_on=dt.date(year, 1, 10),
        ends_on=dt.date(year, 2, 10),
        min_age=80,
        gift="米、油、慰问信",
        note="市委老干部局统一部署",
    )
    campaign_generate_targets(campaign=campaign)
    last = min(today, campaign.ends_on)
    span = (last - campaign.starts_on).days
    for target in campaign.targets.select_related("campaign", "cadre").order_by("pk"):
        if rng.random() < 0.85:
            visited = rng.random() < 0.6
            target_tick(
                target=target,
                on=campaign.starts_on + dt.timedelta(rng.randint(0, span)),
                visited=visited,
                visitors=rng.choice(VISITORS) if visited else "",
                condolence_money=Decimal(rng.choice([500, 800])) if visited else None,
                recorded_by=recorder,
            )


def _seed_living(rng: random.Random, living, *, today: dt.date, recorder) -> None:
    """Health checks for about a third of the living cadres this year, and two sanatorium trips."""
    hospitals = ["市人民医院", "市中医院", "市第二人民医院", "干部保健中心"]
    findings = ["", "", "血压偏高", "血糖偏高", "血脂偏高", "轻度骨质疏松"]
    for cadre in rng.sample(living, len(living) // 3):
        health_check_record(
            cadre=cadre,
            checked_on=today - dt.timedelta(rng.randint(0, 200)),
            institution=rng.choice(hospitals),
            findings=rng.choice(findings),
            recorded_by=recorder,
        )
    for name, destination, days_ago in (
        ("北戴河休养", "秦皇岛北戴河", 120),
        ("青城山疗养", "都江堰青城山", 40),
    ):
        starts_on = today - dt.timedelta(days=days_ago)
        trip = trip_create(
            name=name,
            destination=destination,
            starts_on=starts_on,
            ends_on=starts_on + dt.timedelta(days=6),
            quota=30,
        )
        for cadre in rng.sample(living, min(len(living), rng.randint(18, 30))):
            trip_add_participant(trip=trip, cadre=cadre)


def _occasion(rng, cadre, kind, occurred_on, recorder):
    return occasion_record(
        cadre=cadre,
        kind=kind,
        occurred_on=occurred_on,
        note=rng.choice(NOTES[kind]) if kind in NOTES else "",
        recorded_by=recorder,
    )


def _festival_day(rng: random.Random, today: dt.date) -> dt.date:
    """The latest 春节-eve, 七一 or 国庆 on or before `today` (春节 taken as 1 February for the demo)."""
    days = [
        dt.date(year, month, day)
        for year in (today.year - 1, today.year)
        for month, day in ((2, 1), (7, 1), (10, 1))
    ]
    past = [day for day in days if day <= today]
    return rng.choice(past[-2:])


def _birthday(born: dt.date, year: int) -> dt.date:
    try:
        return born.replace(year=year)
    except ValueError:  # 29 February
        return dt.date(year, 2, 28)


def _maybe_visit(rng: random.Random, occasion: Occasion, *, today: dt.date) -> None:
    # Most are visited, mostly in time; the rest are due or overdue: the reminders' work.
    if rng.random() > 0.8:
        return
    late = rng.random() < 0.15
    days = visit_due_days(occasion.kind) + (
        rng.randint(1, 10) if late else -rng.randint(0, visit_due_days(occasion.kind))
    )
    visited_on = min(today, occasion.occurred_on + dt.timedelta(days=max(0, days)))
    money = MONEY.get(occasion.kind)
    visit_record(
        occasion=occasion,
        visited_on=visited_on,
        visitors=rng.choice(VISITORS),
        gift=rng.choice(GIFTS[occasion.kind]),
        condolence_money=Decimal(rng.choice(money)) if money and rng.random() < 0.7 else None,
        notes="",
        recorded_by=occasion.recorded_by,
    )


def _seed_contacts(rng, cadres, *, staff, secretary, today: dt.date) -> None:
    contacts = [user for user in [*staff, secretary] if user is not None]
    if not contacts:
        return
    seen = set()
    for cadre in cadres:
        if cadre.pk in seen:
            continue
        seen.add(cadre.pk)
        own = secretary is not None and cadre.branch_id == secretary.branch_id
        interval = rng.choice([14, 30, 30, 60])
        started_on = today - dt.timedelta(rng.randint(20, 365))
        assignment = assignment_create(
            staff=secretary if own else rng.choice(contacts),
            cadre=cadre,
            interval_days=interval,
            started_on=started_on,
            note="一对一联系困难老干部",
        )
        day = started_on
        # Kept up, mostly; a few have slipped behind.
        behind = rng.random() < 0.25
        while True:
            day += dt.timedelta(days=max(1, interval - rng.randint(0, 5)))
            if day > today or (behind and (today - day).days < interval * 2):
                break
            contact_log_record(
                assignment=assignment,
                contacted_on=day,
                method=rng.choice(["visit", "phone", "phone", "video"]),
                note=rng.choice(["身体尚好", "反映看病难，已协调", "情绪稳定", ""]),
                recorded_by=assignment.staff,
            )
