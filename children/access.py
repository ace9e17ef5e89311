"""Recording who read a child's data. Parents reading their own child's data are not logged."""

from .models import AccessLog


def record_access(request, child, what):
    """Log one read of `child`'s data ('profile', 'timeline', 'photo', ...) by a non-guardian: one INSERT."""
    user = request.user
    guardians = getattr(child, "_guardian_ids", None)
    if guardians is None:
        guardians = set(child.guardianships.values_list("user_id", flat=True))
        child._guardian_ids = guardians
    if user.pk in guardians:
        return
    AccessLog.objects.create(user=user, child=child, what=what)
