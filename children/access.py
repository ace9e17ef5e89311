"""Moved: the access log lives in `children.privacy.access`. This name stays only until every caller has moved."""

from children.privacy.access import record_access, record_access_many

__all__ = ["record_access", "record_access_many"]
