"""Choices and helpers for the materialised-path trees (areas, branches)."""

import hashlib

from django.core.cache import cache
from django.db.models import Subquery

# Select boxes list only the top levels of a tree: a city has thousands of branches and
# communities, and a select of thousands of options is unusable and slow to render.
TREE_SELECT_DEPTH = 2
# Every list page renders these choices; the trees change rarely. Services that change a
# tree call tree_choices_changed(); edits made elsewhere (the admin) show within a minute.
CHOICES_SECONDS = 60
_VERSION_KEY = "tree-choices-version"


def tree_choices(queryset, selected_pk=None, levels: int | None = TREE_SELECT_DEPTH):
    """Indented (pk, label) choices for the top `levels` of a tree (all when None), plus the selected node."""
    ordered = queryset.order_by("path").only("pk", "name", "depth", "path")
    top = ordered
    if levels is not None:
        # The top depth comes as a subquery, so the whole choice list is one query.
        top_depth = queryset.order_by("depth").values("depth")[:1]
        top = top.filter(depth__lte=Subquery(top_depth) + (levels - 1))
    version = cache.get_or_set(_VERSION_KEY, 1, None)
    key = f"tree-choices:{version}:{hashlib.sha1(str(top.query).encode()).hexdigest()}"
    nodes = cache.get(key)
    if nodes is None:
        nodes = [(n.pk, n.name, n.depth) for n in top]
        cache.set(key, nodes, CHOICES_SECONDS)
    if str(selected_pk or "").isdigit() and all(str(pk) != str(selected_pk) for pk, _name, _depth in nodes):
        nodes = nodes + [(n.pk, n.name, n.depth) for n in ordered.filter(pk=selected_pk)]
    base = min((depth for _pk, _name, depth in nodes), default=1)
    return [("", "---------")] + [(pk, "　" * (depth - base) + name) for pk, name, depth in nodes]


def tree_choices_changed() -> None:
    """Forget the cached choices after a tree changed."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:  # not set yet: nothing is cached under a version
        cache.set(_VERSION_KEY, 1, None)
