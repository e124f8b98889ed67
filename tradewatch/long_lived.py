"""What a web process builds once, set aside from the garbage collector.

A worker holds about 150,000 objects that live as long as it does: the modules, the URL
resolver, compiled templates and patterns, the date parser's language data. Python's
full collection walks every one of them each time enough new objects have outlived the
young generations, which an uncached page of a hundred events makes happen every few
requests: 30–55 ms a page on average, and a 100–180 ms pause for the request that
triggers it (docs/performance.md, "The garbage collector"). gc.freeze() moves the
objects that exist to a permanent generation that no collection walks again; what a
request makes is still collected as before.

gunicorn.conf.py calls set_aside() when a worker has loaded the application and again
after its first request (the URL resolver, the templates and translations are built
lazily, by that request). Another server can call it the same way. manage.py ingest
calls it before its first report (articles.analysts.ready_to_ingest): a long ingest
otherwise ran a full collection every 200 reports or so, 150 ms each.
"""

import gc
import logging

logger = logging.getLogger(__name__)


def set_aside(log=logger) -> int:
    """Collect what is garbage now (so that none of it is kept for good), then freeze the
    rest; returns how many objects are frozen in all."""
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    log.info("%s long-lived objects set aside from the garbage collector", f"{frozen:,}")
    return frozen
