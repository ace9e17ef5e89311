"""Moved: the due-row dispatcher lives in `common.dispatch`. This name stays only until every caller has moved."""

from common.dispatch import DispatchResult, dispatch_due

__all__ = ["DispatchResult", "dispatch_due"]
