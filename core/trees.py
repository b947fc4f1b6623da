"""Choices and helpers for the materialised-path trees (areas, branches)."""

from django.db.models import Subquery

# Select boxes list only the top levels of a tree: a city has thousands of branches and
# communities, and a select of thousands of options is unusable and slow to render.
TREE_SELECT_DEPTH = 2


def tree_choices(queryset, selected_pk=None, levels: int | None = TREE_SELECT_DEPTH):
    """Indented (pk, label) choices for the top `levels` of a tree (all when None), plus the selected node."""
    ordered = queryset.order_by("path").only("pk", "name", "depth", "path")
    top = ordered
    if levels is not None:
        # The top depth comes as a subquery, so the whole choice list is one query.
        top_depth = queryset.order_by("depth").values("depth")[:1]
        top = top.filter(depth__lte=Subquery(top_depth) + (levels - 1))
    nodes = list(top)
    if str(selected_pk or "").isdigit() and all(str(n.pk) != str(selected_pk) for n in nodes):
        nodes.extend(ordered.filter(pk=selected_pk))
    base = min((n.depth for n in nodes), default=1)
    return [("", "---------")] + [(n.pk, "　" * (n.depth - base) + n.name) for n in nodes]
