"""What a search may ask for: a bounded number of words, each of bounded length.

Every search (the timeline's, the admin's) adds a condition per word, so its cost grows
with the words it is given; one query of thousands of words once took the site down.
The words beyond the limit are dropped and the page says so, rather than refusing the
search outright: a journalist pasting a long sentence still gets an answer.
"""

from dataclasses import dataclass

MAX_SEARCH_WORDS = 8
MAX_SEARCH_CHARS = 200
MAX_WORD_CHARS = 40


@dataclass(frozen=True)
class Search:
    words: tuple[str, ...]
    truncated: bool

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def note(self) -> str:
        if not self.truncated:
            return ""
        if not self.words:
            return (
                f"Nothing was searched: words longer than {MAX_WORD_CHARS} characters are "
                "ignored, and no other word was given."
            )
        return (
            f"Searches use at most {MAX_SEARCH_WORDS} words of up to {MAX_WORD_CHARS} "
            f"characters, {MAX_SEARCH_CHARS} characters in all; searched for “{self.text}”."
        )


def search_words(query: str) -> Search:
    """The words a search uses, distinct and in order, within the limits.

    >>> search_words("Busan  busan summit")
    Search(words=('Busan', 'summit'), truncated=False)
    >>> search_words("a " * 3000).words
    ('a',)
    >>> s = search_words(" ".join(f"w{n}" for n in range(20)))
    >>> len(s.words), s.truncated
    (8, True)
    """
    head = query[:MAX_SEARCH_CHARS]
    words, seen = [], set()
    for word in head.split():
        # No word of a report is this long; it is pasted noise, and would match nothing.
        if word.lower() in seen or len(word) > MAX_WORD_CHARS:
            continue
        seen.add(word.lower())
        words.append(word)
    truncated = (
        len(query) > MAX_SEARCH_CHARS
        or len(words) > MAX_SEARCH_WORDS
        or any(len(w) > MAX_WORD_CHARS for w in head.split())
    )
    return Search(tuple(words[:MAX_SEARCH_WORDS]), truncated)
