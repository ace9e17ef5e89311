from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from children.models import Child

from ..forms.mentors import MentorForm
from ..talks_services import assign_mentor


@login_required
def mentor_assign(request, pk):
    """A manager of the centre, or staff of the child's group, chooses the child's mentor."""
    child = get_object_or_404(Child.objects.cared_for_by(request.user).select_related("group__centre", "mentor"), pk=pk)
    form = MentorForm(request.POST or None, child=child)
    if request.method == "POST" and form.is_valid():
        mentor = form.cleaned_data["mentor"]
        if assign_mentor(child, mentor, by=request.user):
            if mentor:
                messages.success(
                    request, _("%(mentor)s is now the mentor of %(child)s.") % {"mentor": mentor, "child": child}
                )
            else:
                messages.success(request, _("%(child)s has no mentor now.") % {"child": child})
        else:
            messages.info(request, _("Nothing changed."))
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
            target = child.get_absolute_url()
        return redirect(target or child.get_absolute_url())
    return render(
        request,
        "partnership/talks/mentor_form.html",
        {"form": form, "child": child, "next": request.GET.get("next", "")},
    )
