#!/usr/bin/env bash
# The portable backup, across databases: seed SQLite, dump it, restore the dump into a new
# PostgreSQL database, dump that, restore it into a new SQLite file, dump that; the three
# dumps must hold the same objects (docs/backups.md). Everything it makes is temporary.
#
#   bench/backup_roundtrip.sh            # PostgreSQL on 127.0.0.1:5432, user postgres
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PG="-h 127.0.0.1 -p 5432 -U postgres"
DB="tw_backup_rt_$$"
TMP="$(mktemp -d /tmp/tw_backup_rt.XXXXXX)"
trap 'dropdb $PG --if-exists "$DB" >/dev/null 2>&1 || true; rm -rf "$TMP"' EXIT

DUMP=(dumpdata --natural-foreign --natural-primary --exclude contenttypes
      --exclude auth.permission --exclude sessions --indent 0)

run() { DATABASE_URL="$1" "$PY" manage.py "${@:2}"; }

sqlite_a="sqlite:///$TMP/a.sqlite3"
sqlite_b="sqlite:///$TMP/b.sqlite3"
postgres="postgres://postgres@127.0.0.1:5432/$DB"

echo "== SQLite: migrate, seed, dump"
run "$sqlite_a" migrate --noinput -v0
run "$sqlite_a" seed >/dev/null
run "$sqlite_a" "${DUMP[@]}" -o "$TMP/from-sqlite.json.gz"

echo "== PostgreSQL ($DB): migrate, load the SQLite dump, dump"
createdb $PG "$DB"
run "$postgres" migrate --noinput -v0
run "$postgres" loaddata "$TMP/from-sqlite.json.gz"
run "$postgres" "${DUMP[@]}" -o "$TMP/from-postgres.json.gz"

echo "== SQLite again: migrate, load the PostgreSQL dump, dump"
run "$sqlite_b" migrate --noinput -v0
run "$sqlite_b" loaddata "$TMP/from-postgres.json.gz"
run "$sqlite_b" "${DUMP[@]}" -o "$TMP/back-in-sqlite.json.gz"

# Same objects in the same order; JSON field keys compared as dicts (PostgreSQL's jsonb
# stores keys in its own order, so the files differ byte for byte).
"$PY" - "$TMP" <<'EOF'
import gzip, json, sys
from collections import Counter
from pathlib import Path

tmp = Path(sys.argv[1])
dumps = {
    name: json.loads(gzip.open(tmp / f"{name}.json.gz", "rt", encoding="utf-8").read())
    for name in ("from-sqlite", "from-postgres", "back-in-sqlite")
}
first = dumps["from-sqlite"]
print(f"{len(first)} objects:", dict(sorted(Counter(o["model"] for o in first).items())))
for name, objects in dumps.items():
    same = objects == first
    print(f"{name}: {'same objects' if same else 'DIFFERENT'}")
    if not same:
        sys.exit(1)
EOF
