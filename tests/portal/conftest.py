import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploaded photos go to a fresh folder per test, never into the project's var/ folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
