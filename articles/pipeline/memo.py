"""Per-word readings kept for the next sentence: a sentence is mostly words that reports use
again and again, so a step that reads each word on its own (the names a word may start, the
date gates it holds) reads each distinct word once.

Pure: no Django, no database.
"""

from collections.abc import Callable


class ByWord[T](dict[str, T]):
    """`read(word)` for each word looked up, read the first time the word is seen.

    A plain dict: looking a word up costs less than a call of an lru_cache, and this is done
    for every word of every sentence. Emptied when it holds `limit` words, so a server that
    reads reports for months keeps no more than that.

    >>> lengths = ByWord(len, limit=2)
    >>> lengths["tariff"], lengths["truce"], len(lengths)
    (6, 5, 2)
    >>> lengths["Busan"], len(lengths)
    (5, 1)
    """

    def __init__(self, read: Callable[[str], T], limit: int = 16384):
        super().__init__()
        self.read = read
        self.limit = limit

    def __missing__(self, word: str) -> T:
        if len(self) >= self.limit:
            self.clear()
        value = self[word] = self.read(word)
        return value
