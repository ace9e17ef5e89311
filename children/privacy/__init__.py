"""Privacy of children and families: consent, the download of a family's data, retention, deletion, the access log."""
