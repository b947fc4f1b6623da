"""Demo volunteer service for `seed_demo`: the city's 金秋 corps down to community squads, the 银发三长
on named rivers, roads and grids, six months of patrols and team service, and micro-wishes.

Everything is drawn from the areas, branches and cadres seed_demo already created and saved through
the services, so demo data obeys every rule real data does. The same seed and day give the same data.
"""

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from accounts.models import Role
from branches.models import Area, Branch
from cadres.models import Cadre
from volunteers.models import (
    ChiefPost,
    MicroWish,
    PatrolArea,
    ServiceProject,
    ServiceRecord,
    TeamMembership,
    VolunteerTeam,
)
from volunteers.services import (
    chief_appoint,
    membership_add,
    patrol_area_create,
    project_create,
    record_create,
    team_create,
    team_update,
)
from volunteers.wish_services import wish_claim, wish_fulfil, wish_post, wish_withdraw

DEMO_MONTHS = 6
TEAM_LEADER_USERNAME = "demo_team_leader"
# Rivers and roads of the Lixiahe plain (兴化), where the 银发三长 began.
RIVERS = [
    "车路河", "海沟河", "蚌蜒河", "兴盐界河", "下官河", "上官河", "梓辛河", "雌港", "卤汀河", "李中河",
    "渭水河", "塘港河", "南官河", "东塘港", "西塘港", "白涂河", "串场河", "盐靖河",
]  # fmt: skip
ROADS = [
    "英武路", "长安路", "五里路", "牌楼路", "丰收路", "楚水路", "人民路", "昭阳路", "文林路", "府前路",
    "兴盛路", "拱极路", "东门路", "城南路", "沧浪路", "板桥路",
]  # fmt: skip
TEAM_PROJECTS = ["助老微服务", "邻里守望", "文明劝导", "政策宣讲进社区"]
CHIEF_PROJECTS = {"river": "银发护河", "road": "银发护路", "grid": "网格红管家"}
WISHES = [
    "想要一台收音机听戏", "想要一副老花镜", "希望有人帮忙修理漏水的水龙头", "想要一根助行拐杖",
    "希望有人陪同去医院复查", "想要一套大字版党史读物", "希望给老伴拍一张合影", "想要一个血压计",
    "希望有人帮忙更换家里的灯泡", "想去看看新建的城市公园",
]  # fmt: skip
FEEDBACK = ["老人十分感动，连声道谢", "老人说党组织没有忘记他", "家属表示感谢", "老人很高兴"]
NOTES = ["河面有漂浮垃圾，已清理", "护栏松动，已报社区", "路边违停，已劝导", "发现乱堆放，已协调清运", ""]


def seed_volunteers(*, seed: int, today: dt.date) -> dict[str, int]:
    """Create the demo teams, members, projects, patrol areas, chiefs, records, wishes and the demo team
    leader; returns counts. Does nothing when volunteer teams already exist."""
    if not VolunteerTeam.objects.exists():
        rng = random.Random(seed)
        city = Area.objects.filter(kind=Area.Kind.CITY).order_by("path").first()
        if city is not None:
            _Seeder(rng, city=city, today=today).run()
    return {
        "volunteer teams": VolunteerTeam.objects.count(),
        "team memberships": TeamMembership.objects.count(),
        "chief posts": ChiefPost.objects.count(),
        "service records": ServiceRecord.objects.count(),
        "micro-wishes": MicroWish.objects.count(),
    }


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


class _Seeder:
    def __init__(self, rng: random.Random, *, city: Area, today: dt.date):
        self.rng, self.city, self.today = rng, city, today
        self.window_start = (today.replace(day=1) - dt.timedelta(days=31 * (DEMO_MONTHS - 1))).replace(day=1)
        areas = list(Area.objects.filter(path__startswith=city.path).order_by("path"))
        self.children = defaultdict(list)
        for area in areas:
            if area.depth > city.depth:
                parent_path = area.path[: -Area.steplen]
                self.children[parent_path].append(area)
        self.branches = Branch.objects.filter(dissolved_on__isnull=True).in_bulk()
        self.branch_by_area = {}
        for branch in sorted(self.branches.values(), key=lambda branch: branch.path):
            if branch.area_id:
                self.branch_by_area.setdefault(branch.area_id, branch)
        living = Cadre.objects.filter(deceased_on__isnull=True, area__isnull=False).order_by("id")
        self.people_by_area = defaultdict(list)
        for cadre in living.only(
            "id", "name", "area_id", "branch_id", "retired_on", "deceased_on", "special_hardship"
        ):
            self.people_by_area[cadre.area_id].append(cadre)
        self.squad_of_area: dict[int, VolunteerTeam] = {}
        self.members_of_team: dict[int, list[Cadre]] = defaultdict(list)

    def run(self) -> None:
        street_teams = self._teams()
        self._memberships()
        self._projects(street_teams)
        posts = self._chiefs(street_teams)
        self._records(posts)
        self._wishes()
        self._team_leader_user(posts)

    # Teams -------------------------------------------------------------------------------------

    def _teams(self) -> list[tuple[Area, VolunteerTeam]]:
        rng = self.rng
        corps = team_create(
            name=f"{self.city.name}金秋志愿服务总队",
            level="corps",
            area=self.city,
            founded_on=dt.date(2019, 3, 5),
        )
        street_teams = []
        for district in self.children[self.city.path]:
            detachment = team_create(
                name=f"{district.name}金秋志愿服务支队",
                level="detachment",
                parent=corps,
                area=district,
                founded_on=_date_between(rng, dt.date(2019, 4, 1), dt.date(2020, 6, 30)),
                branch=self.branch_by_area.get(district.pk),
            )
            for street in self.children[district.path]:
                squadron = team_create(
                    name=f"{street.name}银发志愿服务中队",
                    level="squadron",
                    parent=detachment,
                    area=street,
                    founded_on=_date_between(rng, dt.date(2020, 7, 1), dt.date(2022, 12, 31)),
                    branch=self.branch_by_area.get(street.pk) or detachment.branch,
                )
                street_teams.append((street, squadron))
                for community in self.children[street.path]:
                    if not self.people_by_area.get(community.pk) or rng.random() < 0.25:
                        continue
                    self.squad_of_area[community.pk] = team_create(
                        name=f"{community.name}银发志愿服务小队",
                        level="squad",
                        parent=squadron,
                        area=community,
                        founded_on=_date_between(rng, dt.date(2021, 1, 1), dt.date(2024, 12, 31)),
                        branch=self.branch_by_area.get(community.pk) or squadron.branch,
                    )
        return street_teams

    def _memberships(self) -> None:
        rng = self.rng
        for area_id, squad in self.squad_of_area.items():
            people = [c for c in self.people_by_area[area_id] if not c.special_hardship]
            members = [cadre for cadre in people if rng.random() < 0.25] or people[:1]
            for cadre in members:
                earliest = max(squad.founded_on, cadre.retired_on or squad.founded_on)
                membership_add(team=squad, cadre=cadre, joined_on=_date_between(rng, earliest, self.today))
                self.members_of_team[squad.pk].append(cadre)
            if members:
                team_update(team=squad, leader=members[0])

    def _projects(self, street_teams) -> None:
        rng = self.rng
        for squad in self.squad_of_area.values():
            project_create(
                name=rng.choice(TEAM_PROJECTS),
                team=squad,
                started_on=squad.founded_on,
                description="",
            )
        for _street, squadron in street_teams:
            for name in CHIEF_PROJECTS.values():
                project_create(name=name, team=squadron, started_on=squadron.founded_on)

    # Chiefs --------------------------------------------------------------------------------------

    def _chiefs(self, street_teams) -> list[ChiefPost]:
        rng = self.rng
        posts = []
        for street, squadron in street_teams:
            communities = self.children[street.path]
            locals_ = [c for area in [street, *communities] for c in self.people_by_area.get(area.pk, [])]
            candidates = [c for c in locals_ if c.branch_id and not c.special_hardship]
            if not candidates:
                continue
            patrol_areas = [
                patrol_area_create(kind="river", name=name, area=street)
                for name in rng.sample(RIVERS, k=rng.randint(1, 3))
            ]
            patrol_areas += [
                patrol_area_create(kind="road", name=name, area=street)
                for name in rng.sample(ROADS, k=rng.randint(1, 2))
            ]
            for community in communities:
                patrol_areas += [
                    patrol_area_create(kind="grid", name=f"{community.name}第{n}网格", area=community)
                    for n in range(1, rng.randint(1, 3) + 1)
                ]
            for patrol_area in patrol_areas:
                for cadre in rng.sample(candidates, k=min(len(candidates), rng.choice([1, 1, 2]))):
                    if ChiefPost.objects.filter(cadre=cadre, patrol_area=patrol_area).exists():
                        continue
                    team = self.squad_of_area.get(cadre.area_id, squadron)
                    appointed = min(
                        self.today,
                        _date_between(
                            rng,
                            max(team.founded_on, dt.date(2023, 1, 1)),
                            self.today - dt.timedelta(days=200),
                        ),
                    )
                    posts.append(
                        chief_appoint(cadre=cadre, patrol_area=patrol_area, appointed_on=appointed, team=team)
                    )
        return posts

    # Service ----------------------------------------------------------------------------------

    def _records(self, posts: list[ChiefPost]) -> None:
        rng = self.rng
        chief_projects = {
            (project.team_id, project.name): project
            for project in ServiceProject.objects.filter(name__in=CHIEF_PROJECTS.values())
        }
        for post in posts:
            kind = "grid_service" if post.patrol_area.kind == PatrolArea.Kind.GRID else "patrol"
            project = chief_projects.get((post.team_id, CHIEF_PROJECTS[post.patrol_area.kind]))
            for _round in range(rng.randint(2, 6)):
                found = rng.choices([0, 1, 2], weights=[8, 3, 1])[0]
                record_create(
                    chief_post=post,
                    project=project,
                    served_on=_date_between(rng, max(self.window_start, post.appointed_on), self.today),
                    kind=kind,
                    hours=Decimal(rng.choice(["0.5", "1.0", "1.5", "2.0"])),
                    volunteers_present=rng.randint(1, 3),
                    people_served=rng.randint(0, 5) if kind == "grid_service" else 0,
                    problems_found=found,
                    problems_resolved=found if rng.random() < 0.85 else max(0, found - 1),
                    notes=rng.choice(NOTES) if found else "",
                )
        for squad in self.squad_of_area.values():
            projects = list(squad.projects.all())
            for _round in range(rng.randint(DEMO_MONTHS, 2 * DEMO_MONTHS)):
                record_create(
                    team=squad,
                    project=rng.choice(projects) if projects and rng.random() < 0.7 else None,
                    served_on=_date_between(rng, max(self.window_start, squad.founded_on), self.today),
                    kind=rng.choice(["care_visit", "care_visit", "publicity", "mediation", "other"]),
                    hours=Decimal(rng.choice(["1.0", "2.0", "3.0", "4.0"])),
                    volunteers_present=rng.randint(2, 12),
                    people_served=rng.randint(1, 30),
                )

    def _wishes(self) -> None:
        rng = self.rng
        elders = [
            cadre
            for people in self.people_by_area.values()
            for cadre in people
            if cadre.special_hardship and rng.random() < 0.7
        ]
        for cadre in elders:
            posted_on = _date_between(rng, self.window_start, self.today)
            wish = wish_post(beneficiary=cadre, wish=rng.choice(WISHES), posted_on=posted_on)
            draw = rng.random()
            if draw < 0.08:
                wish_withdraw(wish=wish, reason="老人已随子女迁居外地", withdrawn_on=posted_on)
                continue
            if draw > 0.75:
                continue  # still waiting on the wall
            claimed_on = _date_between(rng, posted_on, min(self.today, posted_on + dt.timedelta(days=10)))
            squad = self.squad_of_area.get(cadre.area_id)
            if squad is not None and rng.random() < 0.6:
                wish = wish_claim(wish=wish, claimed_on=claimed_on, team=squad)
            elif cadre.branch_id in self.branches:
                wish = wish_claim(wish=wish, claimed_on=claimed_on, branch=self.branches[cadre.branch_id])
            else:
                continue
            if rng.random() < 0.7:
                fulfilled_on = _date_between(
                    rng, claimed_on, min(self.today, claimed_on + dt.timedelta(days=20))
                )
                wish_fulfil(wish=wish, fulfilled_on=fulfilled_on, feedback=rng.choice(FEEDBACK))

    def _team_leader_user(self, posts: list[ChiefPost]) -> None:
        """demo_team_leader leads the squad with the most chiefs, so the phone journey has rivers to patrol."""
        from django.contrib.auth import get_user_model

        from accounts.services import user_create
        from core.demo_data import DEMO_PASSWORD

        chiefs = defaultdict(int)
        for post in posts:
            if post.team.level == VolunteerTeam.Level.SQUAD:
                chiefs[post.team_id] += 1
        if not chiefs or get_user_model().objects.filter(username=TEAM_LEADER_USERNAME).exists():
            return
        team_id = max(sorted(chiefs), key=lambda pk: chiefs[pk])
        user_create(
            username=TEAM_LEADER_USERNAME,
            password=DEMO_PASSWORD,
            role=Role.TEAM_LEADER,
            volunteer_team=VolunteerTeam.objects.get(pk=team_id),
            email=f"{TEAM_LEADER_USERNAME}@example.com",
        )
