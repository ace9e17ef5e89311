"""Privacy actions that span several models: consent answers, deleting a child's data, closing an account."""

import calendar
import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from notifications.services import notify

from ..models import AccountDeletionRequest, Child, ConsentChange, Guardianship, Membership
from .family_data import child_record, data_models, file_fields, foreign_keys, is_about_children, is_historical
from .family_data import many_to_many as many_to_many_fields

logger = logging.getLogger(__name__)

# Parents are asked only about uses that exist: photos on the child's own timeline (and its profile photo),
# and photos in the group moments staff share with the parents of the group (partnership.models.moments).
CONSENT_FIELDS = [ConsentChange.Kind.TIMELINE, ConsentChange.Kind.GROUP]
# Parents hear this many days before their child's data is deleted, with a link to download it.


# Consent -----------------------------------------------------------------------------------------------------


def own_children(user):
    """The children of whom `user` is a parent, through the one scope."""
    return Child.objects.visible_to(user).filter(pk__in=Guardianship.objects.filter(user=user).values("child"))


def awaiting_consent(user):
    """Own children for whom no parent has answered the photo questions yet."""
    answered = ConsentChange.objects.filter(child=OuterRef("pk"))
    return own_children(user).exclude(Exists(answered)).order_by("first_name", "pk")


def pending_consent_url(user):
    """Where to send a parent who still has to answer the photo questions for a child, or None."""
    if not user.is_authenticated:
        return None
    child = awaiting_consent(user).first()
    if child is None:
        return None
    return reverse("children:consent_edit", args=[child.pk]) + "?welcome=1"


def record_consent(child, user, answers):
    """Store a parent's answers ({'photo_consent': True, ...}); each change, and the first answer, is kept.

    Returns the ConsentChange rows written (none when nothing changed, so a double submit adds nothing).
    """
    with transaction.atomic():
        locked = Child.objects.select_for_update().get(pk=child.pk)
        first_time = not ConsentChange.objects.filter(child=locked).exists()
        changes = []
        for kind in CONSENT_FIELDS:
            new = bool(answers[kind])
            old = getattr(locked, kind)
            if first_time or old != new:
                changes.append(
                    ConsentChange(
                        child=locked, changed_by=user, kind=kind, old_value=None if first_time else old, new_value=new
                    )
                )
                setattr(locked, kind, new)
        if changes:
            locked._change_reason = "consent"
            locked.save(update_fields=[c.kind for c in changes])
            ConsentChange.objects.bulk_create(changes)
    for kind in CONSENT_FIELDS:
        setattr(child, kind, getattr(locked, kind))
    return changes


# Retention ---------------------------------------------------------------------------------------------------


def add_months(day, months):
    """The same day `months` later (or earlier, when negative), clipped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def deletion_date(child, centre=None):
    """The day a child's data is deleted: its last day plus the centre's retention period. None while it stays."""
    if child.end_date is None:
        return None
    centre = centre or child.group.centre
    return add_months(child.end_date, centre.retention_months)


def _rows_to_delete(child_ids):
    """The collector for the children's rows, and {model: pks} of everything it will delete."""
    collector = Collector(using="default", origin=None)
    for model, pks in child_record(child_ids, include_shared=False).items():
        if pks and not is_historical(model):
            collector.collect(model._base_manager.filter(pk__in=pks))
    doomed = {}
    for model, instances in collector.data.items():
        doomed.setdefault(model, set()).update(obj.pk for obj in instances)
    for queryset in collector.fast_deletes:
        doomed.setdefault(queryset.model, set()).update(queryset.values_list("pk", flat=True))
    return collector, doomed


def _historical_models():
    return [m for m in data_models() if is_historical(m)]


def _stored_files(doomed):
    """Names in storage of every file held by the rows about to go, and by their history."""
    names = set()
    for model, pks in doomed.items():
        fields = file_fields(model)
        if fields and pks:
            for values in model._base_manager.filter(pk__in=pks).values_list(*fields):
                names.update(v for v in values if v)
    for history in _historical_models():
        pks = doomed.get(history.instance_type)
        fields = file_fields(history)
        if pks and fields:
            for values in history._base_manager.filter(id__in=pks).values_list(*fields):
                names.update(v for v in values if v)
    return names


def _delete_files_later(names):
    def delete():
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:
                logger.exception("Could not delete the stored file %s", name)

    transaction.on_commit(delete)


def delete_child_data(child):
    """Delete a child and everything that belongs to it, with its history and photo files. Returns the counts.

    Parents left without any child at the portal (and without work there) have their account closed too.
    """
    with transaction.atomic():
        parents = list(get_user_model().objects.filter(guardianships__child=child))
        collector, doomed = _rows_to_delete([child.pk])
        files = _stored_files(doomed)
        _total, counts = collector.delete()
        # The history of deleted rows goes too (including the entry written by the deletion itself).
        for history in _historical_models():
            pks = doomed.get(history.instance_type)
            if pks:
                deleted = history._base_manager.filter(id__in=pks)._raw_delete(history._base_manager.db)
                if deleted:
                    counts[history._meta.label] = deleted
        _delete_files_later(files)
        for parent in parents:
            if not parent.guardianships.exists() and can_close_account(parent):
                close_account(parent)
    return counts


def children_in_retention_window(centre, today=None):
    """Children of the centre whose data is due for deletion within the warning period, or already due."""
    today = today or timezone.localdate()
    soon = add_months(today + datetime.timedelta(days=settings.RETENTION_WARNING_DAYS), -centre.retention_months)
    return Child.objects.filter(group__centre=centre, end_date__lte=soon)


def retention_step(child, centre, today=None):
    """What the retention rule asks for this child today: ('warn', date), ('delete', date) or (None, date).

    Data is never deleted before the parents were told the date, at least the warning period ahead: a last day
    entered late moves the deletion back; a last day moved earlier after the notice keeps the date they were told.
    """
    today = today or timezone.localdate()
    scheduled = deletion_date(child, centre)
    if scheduled is None or scheduled > today + datetime.timedelta(days=settings.RETENTION_WARNING_DAYS):
        return None, scheduled
    latest = child.retention_notices.order_by("-delete_on").first()
    if latest is None or latest.delete_on < scheduled:
        return "warn", max(scheduled, today + datetime.timedelta(days=settings.RETENTION_WARNING_DAYS))
    if latest.delete_on <= today:
        return "delete", latest.delete_on
    return None, latest.delete_on


# Closing an account ------------------------------------------------------------------------------------------

# Kept when an account is closed: the record that it was asked for and confirmed.
KEPT_ON_CLOSING = {AccountDeletionRequest}


def can_close_account(user):
    """A parent's account can be closed by request; people who work at a centre or for the trainings cannot."""
    return not (user.is_staff or user.is_superuser or user.is_trainer or Membership.objects.filter(user=user).exists())


def close_account(user):
    """Anonymise a parent's account.

    What they wrote in a child's record (observations, replies, consent answers) stays with the child, now
    signed by "former parent", and follows the child's retention. Everything only about them goes: what would go
    with the account anyway (CASCADE), and their name on rows that can live without it (SET_NULL).
    """
    user_model = get_user_model()
    with transaction.atomic():
        Guardianship.objects.filter(user=user).delete()
        for model in data_models():
            if model is user_model or model in KEPT_ON_CLOSING or is_about_children(model):
                continue
            if is_historical(model) and is_about_children(model.instance_type):
                continue
            for field in foreign_keys(model):
                if field.related_model is not user_model:
                    continue
                rows = model._base_manager.filter(**{field.name: user})
                on_delete = field.remote_field.on_delete
                if on_delete is models.CASCADE:
                    _delete_quietly(rows)
                elif on_delete is models.SET_NULL or (field.null and on_delete is models.DO_NOTHING):
                    rows.update(**{field.name: None})
            for field in many_to_many_fields(model):
                if field.related_model is user_model:
                    through = field.remote_field.through
                    through._base_manager.filter(**{f"{field.m2m_reverse_field_name()}": user.pk}).delete()
        user.groups.clear()
        user.user_permissions.clear()
        with translation.override(settings.LANGUAGE_CODE):
            user.name = gettext("Former parent")
        user.email = f"closed-{user.pk}@invalid.invalid"
        user.is_active = False
        user.is_trainer = False
        user.last_login = None
        user.set_unusable_password()
        user.save()


def _delete_quietly(queryset):
    """Delete rows; rows something else still holds on to (PROTECT) stay, pointing at the anonymised account."""
    try:
        with transaction.atomic():
            queryset.delete()
    except (ProtectedError, RestrictedError):
        logger.warning("Kept %s rows that other data still refers to", queryset.model._meta.label)


def request_account_deletion(user, reason=""):
    """A parent asks to close their account. Returns (request, created); a second ask returns the pending one."""
    existing = AccountDeletionRequest.objects.pending().filter(user=user).first()
    if existing:
        return existing, False
    centres = list({child.group.centre_id for child in own_children(user).select_related("group")})
    try:
        with transaction.atomic():
            deletion = AccountDeletionRequest.objects.create(user=user, reason=reason)
            deletion.centres.set(centres)
            _tell_managers(deletion)
    except IntegrityError:
        return AccountDeletionRequest.objects.pending().get(user=user), False
    return deletion, True


def _tell_managers(deletion):
    """The managers of the parent's centres hear of the request, with a link to their privacy page."""
    managers = get_user_model().objects.filter(
        memberships__role="manager", memberships__centre__in=deletion.centres.all()
    )
    centre = deletion.centres.order_by("pk").first()
    url = reverse("children:centre_privacy", args=[centre.pk]) if centre else reverse("home")
    name = deletion.user.get_full_name()
    notify(
        managers.distinct(),
        lambda: gettext("%(name)s asks to close their account.") % {"name": name},
        url,
        exclude=deletion.user,
    )


def confirm_account_deletion(deletion, manager):
    """A manager confirms: the account is closed at once. Returns the address to send the confirmation to."""
    with transaction.atomic():
        deletion = AccountDeletionRequest.objects.select_for_update().select_related("user").get(pk=deletion.pk)
        if not deletion.is_pending:
            return None
        user = deletion.user
        address, language, name = user.email, user.language, user.get_short_name()
        close_account(user)
        deletion.confirmed_at = timezone.now()
        deletion.confirmed_by = manager
        deletion.save(update_fields=["confirmed_at", "confirmed_by"])
    return address, language, name
