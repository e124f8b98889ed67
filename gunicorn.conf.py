"""gunicorn reads this file from the directory it starts in (the project's root, as in
docs/deployment.md); the command line's options still decide workers, bind and timeouts.

Each worker sets aside from the garbage collector what it builds once: when it has loaded
the application, and after its first request (tradewatch/long_lived.py says why).
"""

from tradewatch.long_lived import set_aside


def post_worker_init(worker):
    set_aside(worker.log)


def post_request(worker, req, environ, resp):
    if worker.nr == 1:  # the response has been sent: the reader does not wait for this
        set_aside(worker.log)
