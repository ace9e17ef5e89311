from django.utils.functional import SimpleLazyObject

from children.models import roles_of


def navigation(request):
    """Roles for the navigation bar, computed only when a template asks (the bell count: notifications)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"roles": SimpleLazyObject(lambda: roles_of(user))}
