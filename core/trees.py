"""Choices and helpers for the materialised-path trees (areas, branches)."""

# Select boxes list only the top levels of a tree: a city has thousands of branches and
# communities, and a select of thousands of options is unusable and slow to render.
TREE_SELECT_DEPTH = 2


def tree_choices(queryset, selected_pk=None, levels: int | None = TREE_SELECT_DEPTH):
    """Indented (pk, label) choices for the top `levels` of a tree (all when None), plus the selected node."""
    top = queryset.order_by("path").only("pk", "name", "depth", "path")
    nodes = list(top if levels is None else top.filter(depth__lte=_min_depth(queryset) + levels - 1))
    if str(selected_pk or "").isdigit() and all(str(n.pk) != str(selected_pk) for n in nodes):
        nodes.extend(top.filter(pk=selected_pk))
    base = min((n.depth for n in nodes), default=1)
    return [("", "---------")] + [(n.pk, "　" * (n.depth - base) + n.name) for n in nodes]


def _min_depth(queryset):
    first = queryset.order_by("depth").values_list("depth", flat=True).first()
    return first or 1
