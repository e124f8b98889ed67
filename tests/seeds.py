"""The seed reports and their hand-checked dates, for tests.

The reports are the project's fixtures (fixtures/reports); the gold file, checked by
hand, ships with the tests (tests/data/gold_dates.json).
"""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS_DIR = ROOT / "fixtures" / "reports"
GOLD_PATH = ROOT / "tests" / "data" / "gold_dates.json"
SEED_NAMES = ("000", "001", "002", "003", "004")
SEED_REPORTS = sorted(REPORTS_DIR.glob("*.txt"))
HEADER_END = re.compile(r"\r?\n[ \t]*\r?\n")


def seed_path(prefix: str) -> Path:
    """The seed report whose file name starts with prefix ("001")."""
    [path] = REPORTS_DIR.glob(f"{prefix}_*.txt")
    return path


def seed_raw_body(prefix: str) -> str:
    """A seed's body as collected: everything after the header block's blank line."""
    return HEADER_END.split(seed_path(prefix).read_text(encoding="utf-8"), maxsplit=1)[1]


def load_gold() -> dict:
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))
