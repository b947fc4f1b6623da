"""Demo senior university for `seed_demo`: the city's university, branch schools in its towns and
streets (as Xinghua's 24 分校 in 安丰, 大垛 …), last year's and this year's courses, and enrolments of
living demo cadres, the demo secretary's members among them.

Built through the services from the areas and cadres seed_demo already made, so the demo obeys every
rule real records do; small, so seeding stays quick.
"""

import datetime as dt
import random

from accounts.models import Role, User
from branches.models import Area
from cadres.models import Cadre
from education.models import Course, Enrolment, SeniorSchool, Subject
from education.services import course_create, enrolment_create, enrolment_withdraw, school_create

BRANCH_SCHOOLS = 6
# About one living cadre in twelve studies at the senior university.
STUDENT_SHARE = 1 / 12
COURSE_NAMES = {
    Subject.CALLIGRAPHY_PAINTING: ["书法班", "国画班", "书画提高班"],
    Subject.PHOTOGRAPHY: ["摄影入门班", "数码摄影班"],
    Subject.POETRY: ["诗词鉴赏班", "格律诗创作班"],
    Subject.MUSIC: ["声乐班", "老年合唱班", "葫芦丝班"],
    Subject.DANCE: ["民族舞班", "健身舞班"],
    Subject.HEALTH: ["太极拳班", "八段锦班", "中医养生班"],
    Subject.COMPUTERS: ["智能手机应用班", "电脑入门班"],
    Subject.OTHER: ["党史学习班", "文学写作班"],
}
TEACHERS = ["张书华", "李墨林", "陈光影", "刘诗韵", "赵乐声", "孙舞云", "周康宁", "吴明远", "郑文博"]


def seed_education(*, seed: int, today: dt.date) -> dict[str, int]:
    """Create the university, its branch schools, two years of courses and enrolments; returns
    counts. Does nothing when a school already exists, so a second run changes nothing."""
    if not SeniorSchool.objects.exists():
        _seed(random.Random(seed), today=today)
    return {
        "senior-university schools": SeniorSchool.objects.count(),
        "courses": Course.objects.count(),
        "enrolments": Enrolment.objects.count(),
    }


def _seed(rng: random.Random, *, today: dt.date) -> None:
    schools = _seed_schools(rng, today=today)
    courses = _seed_courses(rng, schools=schools, today=today)
    if courses:
        _seed_enrolments(rng, courses=courses, today=today)


def _seed_schools(rng: random.Random, *, today: dt.date) -> list[SeniorSchool]:
    city = Area.objects.filter(depth=1).order_by("path").first()
    city_name = city.name if city else "市"
    university = school_create(
        name=f"{city_name}老年大学",
        area=city,
        address="文化路8号老干部活动中心",
        founded_on=dt.date(1988, 9, 1),
        note="“知识田园、生活乐园、精神家园”",
    )
    places = list(Area.objects.filter(kind=Area.Kind.TOWN).order_by("path"))
    places += list(Area.objects.filter(kind=Area.Kind.STREET).order_by("path"))
    schools = [university]
    for number, place in enumerate(places[:BRANCH_SCHOOLS]):
        # The newest branch school opened this spring, as towns keep joining (菏泽: 20 new in a year).
        founded = dt.date(today.year, 3, 1) if number == BRANCH_SCHOOLS - 1 else dt.date(2015 + number, 9, 1)
        schools.append(
            school_create(
                name=f"{city_name}老年大学{place.name}分校",
                parent=university,
                area=place,
                address=f"{place.name}党群服务中心",
                founded_on=min(founded, today),
            )
        )
    return schools


def _term_starts(year: int, today: dt.date) -> list[dt.date]:
    return [day for day in (dt.date(year, 3, 1), dt.date(year, 9, 1)) if day <= today]


def _seed_courses(rng: random.Random, *, schools: list[SeniorSchool], today: dt.date) -> list[Course]:
    courses = []
    for year in (today.year - 1, today.year):
        for school in schools:
            starts = [day for day in _term_starts(year, today) if day >= school.founded_on]
            if not starts:
                continue
            count = 6 if school.parent_id is None else rng.randint(2, 3)
            subjects = rng.sample(list(COURSE_NAMES), k=count)
            for subject in subjects:
                starts_on = rng.choice(starts)
                ends_on = dt.date(year, 7, 15) if starts_on.month == 3 else dt.date(year + 1, 1, 15)
                courses.append(
                    course_create(
                        school=school,
                        name=rng.choice(COURSE_NAMES[subject]),
                        subject=subject,
                        starts_on=starts_on,
                        ends_on=ends_on,
                        teacher=rng.choice(TEACHERS),
                        capacity=rng.choice([None, 30, 40, 60]),
                    )
                )
    return courses


def _seed_enrolments(rng: random.Random, *, courses: list[Course], today: dt.date) -> None:
    living = list(
        Cadre.objects.filter(deceased_on__isnull=True, branch__isnull=False)
        .order_by("id")
        .only("id", "name", "branch_id", "deceased_on")
    )
    wanted = max(10, round(len(living) * STUDENT_SHARE))
    students = rng.sample(living, k=min(wanted, len(living)))
    # The demo secretary's members study too, so their enrolment list is not empty.
    secretary = User.objects.filter(role=Role.BRANCH_SECRETARY, branch__isnull=False).order_by("pk").first()
    if secretary is not None:
        own = [cadre for cadre in living if cadre.branch_id == secretary.branch_id][:3]
        students += [cadre for cadre in own if cadre not in students]
    taken = {course.pk: 0 for course in courses}
    for cadre in students:
        for course in rng.sample(courses, k=min(len(courses), rng.choice([1, 1, 2]))):
            if course.capacity is not None and taken[course.pk] >= course.capacity:
                continue
            enrolled_on = min(course.starts_on - dt.timedelta(days=rng.randint(3, 25)), today)
            enrolment = enrolment_create(course=course, cadre=cadre, enrolled_on=enrolled_on)
            taken[course.pk] += 1
            if rng.random() < 0.05:
                last_day = min(course.ends_on or today, today)
                left_on = enrolled_on + dt.timedelta(
                    days=rng.randint(0, max((last_day - enrolled_on).days, 0))
                )
                enrolment_withdraw(enrolment=enrolment, left_on=left_on)
                taken[course.pk] -= 1
