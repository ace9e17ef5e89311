"""The wider family: giving and revoking a family member's access to one child, each written to the access log."""

from django.db import transaction
from django.utils import timezone

from .models import AccessLog, FamilyMember


def grant_family_access(child, user, invited_by=None):
    """Give `user` read-and-reply access to `child`. Returns the FamilyMember (the existing one if active)."""
    with transaction.atomic():
        member, created = FamilyMember.objects.active().get_or_create(
            child=child, user=user, defaults={"invited_by": invited_by}
        )
        if created:
            AccessLog.objects.create(user=user, child=child, what="family_access")
    return member


def revoke_family_access(member, by):
    """End a family member's access; a second revoke changes nothing. Returns True when it was revoked now."""
    with transaction.atomic():
        locked = FamilyMember.objects.select_for_update().get(pk=member.pk)
        if locked.revoked_at is not None:
            return False
        locked.revoked_at, locked.revoked_by = timezone.now(), by
        locked.save(update_fields=["revoked_at", "revoked_by"])
        AccessLog.objects.create(user=locked.user, child=locked.child, what="family_revoked")
    member.revoked_at = locked.revoked_at
    return True
