"""Moved: the family download lives in `children.privacy.export`. This name stays only until every caller has moved."""

from children.privacy.export import FamilyExport

__all__ = ["FamilyExport"]
