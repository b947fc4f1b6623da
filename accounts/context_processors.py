from accounts.models import Role


def role(request):
    """Expose the role names to templates so navigation can show what each role may use."""
    return {"Role": Role}
