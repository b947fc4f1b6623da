"""Every importable resource by slug: the cadre roster, and the RecordResources each app
declares in its `importers` module (found the way the admin finds `admin` modules)."""

import functools

from django.utils.module_loading import autodiscover_modules

from imports.specs import CADRE_ROSTER, Resource

_registered: dict[str, Resource] = {CADRE_ROSTER.slug: CADRE_ROSTER}


def register(resource: Resource) -> Resource:
    if _registered.get(resource.slug, resource) is not resource:
        raise ValueError(f"Two import resources are called {resource.slug!r}")
    _registered[resource.slug] = resource
    return resource


@functools.cache
def resources() -> dict[str, Resource]:
    autodiscover_modules("importers")
    return dict(_registered)


def resource_for(slug: str) -> Resource | None:
    return resources().get(slug)


def importable_by(user) -> list[Resource]:
    """The resources `user` may import, in the order the import page lists them."""
    from imports.services import IMPORT_PERMISSION

    if not user.has_perm(IMPORT_PERMISSION):
        return []
    return [resource for resource in resources().values() if user.has_perms(getattr(resource, "perms", ()))]
