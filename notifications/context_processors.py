from django.utils.functional import SimpleLazyObject, new_method_proxy

from .models import Notification


class LazyCount(SimpleLazyObject):
    """A number computed on first use; usable in templates and with int()."""

    __int__ = new_method_proxy(int)


def bell(request):
    """The unread-notification count for the bell in the navigation bar, counted only when a template asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": LazyCount(lambda: Notification.objects.for_user(user).unread().count())}
