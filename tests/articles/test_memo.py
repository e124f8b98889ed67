import doctest

from articles.pipeline import memo
from articles.pipeline.memo import ByWord


def test_module_examples():
    assert doctest.testmod(memo).failed == 0


def test_each_word_is_read_once_until_the_memo_is_full():
    reads = []
    upper = ByWord(lambda word: reads.append(word) or word.upper(), limit=3)
    assert [upper[w] for w in ("truce", "tariff", "truce", "talks", "truce")] == [
        "TRUCE", "TARIFF", "TRUCE", "TALKS", "TRUCE",
    ]  # fmt: skip
    assert reads == ["truce", "tariff", "talks"]
    upper["Busan"]  # a fourth word: it starts over
    assert list(upper) == ["Busan"]
