"""The portal's settings plus the benchmark's floor page."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
