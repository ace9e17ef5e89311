"""Recording who read a child's data. Parents reading their own child's data are not logged.

One read costs one statement: an INSERT ... SELECT that itself leaves out the child's own parents and a repeat
of the same read within a short window (a timeline with six photos is one visit, not seven log lines).
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from ..models import AccessLog, Child, Guardianship

# Reads of the same thing by the same person within this window count as one.

_INSERT = """
    INSERT INTO {log} (user_id, child_id, what, at)
    SELECT %s, child.id, %s, %s FROM {child} child
    WHERE child.id IN ({placeholders})
      AND NOT EXISTS (SELECT 1 FROM {guardianship} g WHERE g.user_id = %s AND g.child_id = child.id)
      AND NOT EXISTS (
          SELECT 1 FROM {log} seen
          WHERE seen.child_id = child.id AND seen.user_id = %s AND seen.what = %s AND seen.at > %s
      )
"""


def record_access(request, child, what):
    """Log one read of `child`'s data ('profile', 'timeline', 'photo', ...) by anyone but its parents."""
    record_access_many(request, [child], what)


def record_access_many(request, children, what):
    """Log a read of several children's data at once (a list page): still one statement."""
    user = getattr(request, "user", None)
    # A parent's own reads are never logged; when the guardians are already known, no statement is needed.
    children = [c for c in children if user is None or user.pk not in getattr(c, "_guardian_ids", ())]
    ids = sorted({child.pk for child in children})
    if user is None or not user.is_authenticated or not ids:
        return
    now = timezone.now()
    sql = _INSERT.format(
        log=connection.ops.quote_name(AccessLog._meta.db_table),
        child=connection.ops.quote_name(Child._meta.db_table),
        guardianship=connection.ops.quote_name(Guardianship._meta.db_table),
        placeholders=", ".join(["%s"] * len(ids)),
    )
    what = what[: AccessLog._meta.get_field("what").max_length]
    since = now - timedelta(seconds=settings.ACCESS_LOG_REPEAT_WINDOW_SECONDS)
    params = [user.pk, what, now, *ids, user.pk, user.pk, what, since]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
