from django.utils.functional import SimpleLazyObject

from children.models import roles_of


def navigation(request):
    """Roles and the unread-notification count for the navigation bar, computed only when a template asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread():
        from partnership.models import Notification

        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

    return {
        "roles": SimpleLazyObject(lambda: roles_of(user)),
        "unread_notifications": SimpleLazyObject(unread),
    }
