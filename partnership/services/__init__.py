"""Actions that span several models or have side effects (notifications), one module per subject."""
