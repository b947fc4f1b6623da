"""Access cases of the volunteers URLs: how to build another branch's object id (see tests/test_access.py)."""

CASES = {}

SNAPSHOT_MODELS = []


def build(ctx):
    """Objects of branch a and branch b, keyed `<name>_a` and `<name>_b`."""
    return {}
