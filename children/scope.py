"""Who-sees-what, worked out once per request.

The scoping querysets (`Child.objects.visible_to(user)` and the ones built on it) are OR-joined subqueries
over memberships, managed centres, guardianships and wider family. Building and compiling that SQL again for
every query of a page costs as much as running it. During a request the answer does not change, so
`ScopeCacheMiddleware` gives the request's user a small cache: the second scoped query of the request reads
the person's group ids, own children's ids and followed children's ids in one query, and every scope from then
on filters on those ids (the first one builds the subquery, so a page that scopes once costs no extra query).

Outside a request (tasks, the shell, tests that call a scope with a user object) nothing is cached and the
scopes build the full subqueries as before. A change to memberships, guardianships, family access, a child or
a group during the request (signals below) makes the next scoped query read the ids again.
"""

from dataclasses import dataclass

ATTRIBUTE = "_scope_cache"
_generation = 0


@dataclass(frozen=True)
class Scope:
    """The ids that decide what one person sees; see ChildQuerySet.visible_to for the rule itself."""

    group_ids: tuple  # groups the person works on (as staff or manager)
    own_child_ids: tuple  # children the person is a parent (guardian) of
    followed_child_ids: tuple  # children the person follows as wider family


def invalidate(**kwargs):
    """Any scope worked out before this change is read again (called from model signals)."""
    global _generation
    _generation += 1


def enable(user):
    """Let `user` (the request's own user object) remember its scope for the rest of the request."""
    if getattr(user, "is_authenticated", False):
        setattr(user, ATTRIBUTE, {})


def cached_scope(user):
    """The person's Scope when the user object carries a request cache, otherwise None (build subqueries)."""
    cache = getattr(user, ATTRIBUTE, None)
    if cache is None:
        return None
    if cache.get("generation") != _generation:
        cache.clear()
        cache["generation"] = _generation
    if "scope" in cache:
        return cache["scope"]
    # A page that scopes once (most pages, through the tab bar) builds the subquery as before: reading the ids
    # would be a query more. From the second scoped query of the request on, the ids pay off.
    cache["uses"] = cache.get("uses", 0) + 1
    if cache["uses"] < 2:
        return None
    cache["scope"] = read_scope(user)
    return cache["scope"]


def sees(user, child):
    """`Child.objects.visible_to(user)` holds `child`: from the request's ids when known, else one query."""
    from .models import Child

    known = cached_scope(user)
    if known is not None:
        return child.pk in known.own_child_ids or child.group_id in known.group_ids
    return Child.objects.visible_to(user, cached=False).filter(pk=child.pk).exists()


def cares_for(user, child):
    """`Child.objects.cared_for_by(user)` holds `child` (staff or manager of its group)."""
    from .models import Child

    known = cached_scope(user)
    if known is not None:
        return child.group_id in known.group_ids
    return Child.objects.filter(pk=child.pk).cared_for_by(user).exists()


def read_scope(user):
    """The three id lists of a person in one query."""
    from django.db.models import IntegerField, Value

    from .models import FamilyMember, Group, Guardianship

    kind = Value(0, output_field=IntegerField())
    groups = Group.objects.worked_on_by(user, cached=False).order_by().annotate(kind=kind).values_list("kind", "pk")
    own = (
        Guardianship.objects.filter(user=user)
        .order_by()
        .annotate(kind=Value(1, output_field=IntegerField()))
        .values_list("kind", "child_id")
    )
    followed = (
        FamilyMember.objects.active()
        .filter(user=user)
        .order_by()
        .annotate(kind=Value(2, output_field=IntegerField()))
        .values_list("kind", "child_id")
    )
    ids = ([], [], [])
    for which, pk in groups.union(own, followed, all=True):
        ids[which].append(pk)
    return Scope(*(tuple(sorted(set(part))) for part in ids))


class ScopeCacheMiddleware:
    """After authentication: the request's user remembers its scope for this request only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None:
            _enable_lazily(request)
        return self.get_response(request)


def _enable_lazily(request):
    """Wrap the lazy user so the cache is set when (and only if) the page looks at the user."""
    from django.utils.functional import SimpleLazyObject, empty

    lazy = request.user
    if not isinstance(lazy, SimpleLazyObject):
        enable(lazy)
        return

    def resolve():
        if lazy._wrapped is empty:
            lazy._setup()
        enable(lazy._wrapped)
        return lazy._wrapped

    request.user = SimpleLazyObject(resolve)
