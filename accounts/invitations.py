"""Keeping track of the invitation a visitor is accepting, between the link and the sign-up form."""

from .models import Invitation

SESSION_KEY = "invitation_token"


def remember_invitation(request, invitation):
    request.session[SESSION_KEY] = invitation.token


def invitation_from_session(request):
    token = request.session.get(SESSION_KEY) if request is not None else None
    if not token:
        return None
    invitation = Invitation.objects.select_related("centre", "child").filter(token=token).first()
    if invitation is None or not invitation.is_usable:
        return None
    return invitation
