"""A WSGI app with no framework and no database: it answers every request with bytes it
read at start-up. bench/load.py --pages serves with it, under the same gunicorn command as
TradeWatch, the very bytes the cached timeline and the bare view sent: what moving those
bytes costs (gunicorn, the loopback, the load tool) with nothing of TradeWatch's own.

BENCH_BYTES_DIR holds, for each answer, <name>.body and <name>.json (its Content-Type and,
when gzipped, its Content-Encoding): "bare" is served at /health/, "page" at any other path.
"""

import json
import os
from pathlib import Path

FOLDER = Path(os.environ["BENCH_BYTES_DIR"])


def answer(name: str) -> tuple[bytes, list[tuple[str, str]]]:
    body = (FOLDER / f"{name}.body").read_bytes()
    headers = json.loads((FOLDER / f"{name}.json").read_text())
    return body, [*headers.items(), ("Content-Length", str(len(body)))]


ANSWERS = {"bare": answer("bare"), "page": answer("page")}


def application(environ, start_response):
    body, headers = ANSWERS["bare" if environ["PATH_INFO"] == "/health/" else "page"]
    start_response("200 OK", headers)
    return [body]
