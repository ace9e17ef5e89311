"""Moved: `notify` lives in `notifications.services`. This name stays only until every caller has moved."""

from notifications.services import notify

__all__ = ["notify"]
