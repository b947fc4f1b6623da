from core.navigation import navigation_for


def navigation(request):
    """The side navigation of the signed-in user (see core/navigation.py)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    match = request.resolver_match
    return {"navigation": navigation_for(user, match.view_name if match else "")}
