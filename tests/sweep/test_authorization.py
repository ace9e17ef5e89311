"""The authorization sweep: every URL of the project, as every role and as an anonymous visitor.

URLs come from the resolver, so a new page is swept without anyone listing it. Each URL argument is filled
with objects outside the visitor's scope (another family, another centre, the training side, or objects
nobody may see): none of those answers 200 or changes the object. Every page anyone is shown is searched for
the canaries of objects outside that person's scope, and every file answered is compared with the stored
files that person may not read.
"""

import os
import time

import pytest

from .sweeper import Sweep, quiet_request_log
from .world import scopes_beyond_design

pytestmark = pytest.mark.django_db


def test_nobody_reaches_what_is_outside_their_scope(crawl):
    with quiet_request_log():
        sweep_everything(crawl)


def sweep_everything(crawl):
    started = time.monotonic()
    world = crawl.world
    beyond = scopes_beyond_design(world)
    assert not beyond, "scopes wider than the design allows:\n" + "\n".join(beyond[:40])
    # Which model stands behind each URL argument was learned by the crawl; the sweep starts from that.
    sweep = Sweep(world, learned_from=crawl.sweep)
    routes = crawl.routes
    for route in routes:
        sweep.sweep(route)
    sweep.sweep_stored_files()
    print(
        f"world and crawl in {crawl.seconds:.1f}s (once per run); swept {len(routes)} URL patterns with "
        f"{sweep.requests} requests in {time.monotonic() - started:.1f}s; notes: {world.notes}"
    )
    report = os.environ.get("SWEEP_REPORT")
    if report:
        with open(report, "w") as handle:
            handle.write("\n".join(sweep.failures + ["", "unreached:"] + sweep.unreached))
    assert not sweep.failures, f"{len(sweep.failures)} problems:\n" + "\n".join(sweep.failures[:80])
    assert not sweep.unreached, (
        "These URLs could not be opened with any object by anyone who may see it, so the sweep cannot tell "
        "whether they leak. Name the argument after its model (child_pk, event_pk) or put the model's "
        "plural before it in the path:\n" + "\n".join(sweep.unreached)
    )
