"""Forms of the partnership app, one module per subject."""
