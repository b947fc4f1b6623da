"""Reads behind the dashboard and the reports: counts over the registry within a user's scope."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.scoping import scope_queryset, visible_branches
from branches.models import Branch
from cadres.models import Cadre
from core.dates import birth_range_for_ages


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Distribution:
    key: str
    title: str
    chart: str  # the Chart.js chart type: "doughnut" for shares, "bar" for ordered bands
    buckets: list[Bucket]

    @property
    def total(self) -> int:
        return sum(bucket.count for bucket in self.buckets)

    def counts(self) -> dict[str, int]:
        return {bucket.key: bucket.count for bucket in self.buckets}

    def chart_data(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "type": self.chart,
            "labels": [bucket.label for bucket in self.buckets],
            "counts": [bucket.count for bucket in self.buckets],
        }


@dataclass(frozen=True)
class RegistrySummary:
    headline: list[Bucket]
    distributions: list[Distribution]

    def count(self, key: str) -> int:
        return next(bucket.count for bucket in self.headline if bucket.key == key)

    def distribution(self, key: str) -> Distribution:
        return next(distribution for distribution in self.distributions if distribution.key == key)

    def chart_data(self) -> list[dict]:
        return [distribution.chart_data() for distribution in self.distributions]


def _bands(field: str, today: dt.date, bounds: list[tuple[str, int | None, int | None]]) -> dict[str, Q]:
    """Q objects for "at least `low` and under `high` full years since `field`", by key."""
    conditions = {}
    for key, low, high in bounds:
        lookups = birth_range_for_ages(today, low, high)
        conditions[key] = Q(**{f"{field}__{lookup}": day for lookup, day in lookups.items()})
    return conditions


AGE_BANDS = [
    ("under_70", None, 70),
    ("70_79", 70, 80),
    ("80_89", 80, 90),
    ("90_99", 90, 100),
    ("100_plus", 100, None),
]
PARTY_STANDING_BANDS = [
    ("under_30", None, 30),
    ("30_49", 30, 50),
    ("50_plus", 50, None),
]


def _age_band_labels() -> dict[str, str]:
    return {
        "under_70": _("Under 70"),
        "70_79": _("70–79"),
        "80_89": _("80–89"),
        "90_99": _("90–99"),
        "100_plus": _("100 and over"),
    }


def _party_standing_labels() -> dict[str, str]:
    return {
        "not_member": _("Not a Party member"),
        "under_30": _("Under 30 years"),
        "30_49": _("30–49 years"),
        "50_plus": _("50 years and over"),
    }


def registry_summary(*, user, today: dt.date) -> RegistrySummary:
    """Headline counts and distributions of the cadres and branches `user` may see, as of `today`.

    Every cadre count is a filtered COUNT in one aggregate over the scoped registry, so
    the dashboard costs the same two queries (cadres, branches) however large the
    registry grows, and no row is loaded into Python.
    """
    cadres = scope_queryset(user, Cadre.objects.all())
    living = Q(deceased_on__isnull=True)
    member = Q(party_join_date__isnull=False)

    conditions: dict[str, Q] = {
        "living": living,
        "lixiu": living & Q(retirement_type=Cadre.RetirementType.LIXIU),
        "tuixiu": living & Q(retirement_type=Cadre.RetirementType.TUIXIU),
        "party_members": living & member,
        "lives_elsewhere": living & Q(lives_elsewhere=True),
        "lives_locally": living & Q(lives_elsewhere=False),
        "special_hardship": living & Q(special_hardship=True),
        "deceased": Q(deceased_on__isnull=False),
        "party_not_member": living & ~member,
    }
    for value in Cadre.Sex.values:
        conditions[f"sex_{value}"] = living & Q(sex=value)
    for key, condition in _bands("birth_date", today, AGE_BANDS).items():
        conditions[f"age_{key}"] = living & condition
    for key, condition in _bands("party_join_date", today, PARTY_STANDING_BANDS).items():
        conditions[f"party_{key}"] = living & member & condition

    # Aliases get a prefix: an aggregate may not share its name with a field (lives_elsewhere).
    totals = cadres.aggregate(
        **{f"n_{name}": Count("pk", filter=condition) for name, condition in conditions.items()}
    )
    counts = {name: totals[f"n_{name}"] for name in conditions}

    branches = (
        visible_branches(user)
        .filter(kind__in=[Branch.Kind.BRANCH, Branch.Kind.TEMPORARY])
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today))
        .count()
    )

    headline = [
        Bucket("living", _("Living cadres"), counts["living"]),
        Bucket("lixiu", _("Lixiu cadres"), counts["lixiu"]),
        Bucket("tuixiu", _("Tuixiu cadres"), counts["tuixiu"]),
        Bucket("party_members", _("Party members"), counts["party_members"]),
        Bucket("branches", _("Party branches"), branches),
        Bucket("lives_elsewhere", _("Living elsewhere"), counts["lives_elsewhere"]),
        Bucket("special_hardship", _("Special hardship"), counts["special_hardship"]),
        Bucket("deceased", _("Deceased"), counts["deceased"]),
    ]

    age_labels = _age_band_labels()
    party_labels = _party_standing_labels()
    distributions = [
        Distribution(
            "sex",
            _("Sex"),
            "doughnut",
            [Bucket(value, str(label), counts[f"sex_{value}"]) for value, label in Cadre.Sex.choices],
        ),
        Distribution(
            "age_band",
            _("Age"),
            "bar",
            [Bucket(key, age_labels[key], counts[f"age_{key}"]) for key, _low, _high in AGE_BANDS],
        ),
        Distribution(
            "party_standing",
            _("Party standing"),
            "bar",
            [Bucket("not_member", party_labels["not_member"], counts["party_not_member"])]
            + [
                Bucket(key, party_labels[key], counts[f"party_{key}"])
                for key, _low, _high in PARTY_STANDING_BANDS
            ],
        ),
        Distribution(
            "retirement_type",
            _("Retirement type"),
            "doughnut",
            [Bucket(value, str(label), counts[value]) for value, label in Cadre.RetirementType.choices],
        ),
        Distribution(
            "lives_elsewhere",
            _("Place of residence"),
            "doughnut",
            [
                Bucket("local", _("Lives in the city"), counts["lives_locally"]),
                Bucket("elsewhere", _("Lives elsewhere"), counts["lives_elsewhere"]),
            ],
        ),
    ]
    return RegistrySummary(headline=headline, distributions=distributions)
