from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChildrenConfig(AppConfig):
    name = "children"
    verbose_name = _("Centres and children")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import scope
        from .models import Child, FamilyMember, Group, Guardianship, Membership

        # What a person sees changes with these rows: a scope read earlier in the request is read again.
        for model in (Child, FamilyMember, Group, Guardianship, Membership):
            post_save.connect(scope.invalidate, sender=model, dispatch_uid=f"scope-save-{model.__name__}")
            post_delete.connect(scope.invalidate, sender=model, dispatch_uid=f"scope-delete-{model.__name__}")
        m2m_changed.connect(scope.invalidate, sender=Membership.groups.through, dispatch_uid="scope-membership-groups")
