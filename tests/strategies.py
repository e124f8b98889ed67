"""Hypothesis strategies the pipeline's tests share."""

from hypothesis import strategies as st


def run_together(pieces, max_size: int = 12) -> st.SearchStrategy[str]:
    """Texts of up to `max_size` of the pieces, in any order, run together as they come:
    words, bits of words and what may stand around them, to compare a fast reading of a
    text with its plain one."""
    return st.lists(st.sampled_from(list(pieces)), max_size=max_size).map("".join)
