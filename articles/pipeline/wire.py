"""Wire copy: reports that print the same agency story are one source, not several.

Many outlets print an agency's copy as it came, or lightly edited (a paragraph moved, a
sentence reworded, their own headline). Two signals put a report in a wire group:

- its passages are near copies of another report's: a MinHash signature of its word
  shingles (datasketch) is compared with the stored signatures of the reports published
  around the same days that share one of its LSH bands (band_keys, kept in an indexed
  table, so that only the likely copies are read);
- it names its agency ("(Reuters)", "— AP", "AFP copy", a credit line "Agence
  France-Presse", a byline or outlet that is the agency): it is that agency's copy
  however much it was rewritten, and near copies of it join the agency's group.

The earliest published report of a group is its origin. These steps (agency_named,
shingles, signature, band_keys, similar) need no database; articles.wire_groups writes the groups,
called by articles.services.store_report, the one door, inside its transaction.
"""

import hashlib
import re
import struct
from collections.abc import Iterable
from datetime import timedelta
from functools import cache
from itertools import batched

# datasketch (with numpy and scipy) is imported where it is used, not when Django loads
# the models, which only need AGENCY_CHOICES.

NUM_PERM = 128
SCHEME = "affine32"
SEED = 1
# Words per shingle: long enough that two reports of the same talks written apart share
# few of them ("the two sides agreed to"), short enough that an edited word spoils few.
SHINGLE_WORDS = 5
# Below this many shingles a report is too short to tell a copy from a coincidence.
MIN_SHINGLES = 20
# Estimated Jaccard similarity of two reports' shingles from which they are one story: a
# copy that moves a paragraph and rewords a sentence stays far above it; an outlet that
# prints half the story sits near it.
THRESHOLD = 0.5
# Wire copy is printed within days of the agency's story; only reports published this
# close are compared, so grouping a report reads a bounded number of signatures.
WINDOW = timedelta(days=14)
# Shingles hashed at a time (see signature()).
BATCH = 4096

AGENCIES = {
    "reuters": ("Reuters", ["Reuters", "Thomson Reuters"]),
    "ap": ("Associated Press", ["AP", "Associated Press", "The Associated Press"]),
    "afp": ("Agence France-Presse", ["AFP", "Agence France-Presse", "Agence France Presse"]),
}
AGENCY_CHOICES = [(key, name) for key, (name, _) in AGENCIES.items()]


def _alternatives(names):
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


# How a report credits the copy it prints. A mention in running text ("according to
# Reuters", "told AFP") cites the agency; it does not say the report is its copy. Agency
# names are matched in their own case ("ap" is not the Associated Press), the words
# around them in any case.
_CREDITS = {
    key: re.compile(
        rf"""
        \(\s*(?:{alts})\s*\)                         # dateline: BEIJING (Reuters) -
        | [—–-]\s*(?:{alts})\s*\.?\s*$                # trailer: … — Reuters
        | \b(?:{alts})\s+(?i:copy)\b                  # "Reuters copy"
        | ^\s*(?i:(?:with\s+)?(?:inputs?|reporting|additional\s+reporting)\s+(?:from|by)\s+
              |source\s*:\s*|courtesy\s*:?\s*|via\s+|by\s+|copyright\s+)?
              (?:{alts})\s*\.?\s*$                    # credit line: "AFP"
        """,
        re.VERBOSE | re.MULTILINE,
    )
    for key, (_, names) in AGENCIES.items()
    for alts in [_alternatives(names)]
}
# What follows the agency's name in each credit above: a ")", "copy", or the end of the
# line. Running text names "AP" in "APEC" and Reuters in "Reuters reported": a text where
# no name is followed so holds no credit, and the credits, tried at every character of
# it (some 1.5 M instructions a report), are not searched.
_CREDITED = {
    key: re.compile(rf"(?:{_alternatives(names)})(?=\s*\)|\s+(?i:copy)\b|\s*\.?\s*$)", re.MULTILINE)
    for key, (_, names) in AGENCIES.items()
}
_DATELINES = {
    key: re.compile(rf"^(?:{_alternatives(names)})\s+(?i:updated|published|posted)\b")
    for key, (_, names) in AGENCIES.items()
}
# A byline or an outlet that is the agency itself.
_BYLINES = {
    key: re.compile(rf"^(?i:by\s+)?(?:{_alternatives(names)})$")
    for key, (_, names) in AGENCIES.items()
}


def agency_named(
    body: str, *, byline: str = "", outlet: str = "", datelines: Iterable[str] = ()
) -> str:
    """The key of the agency whose copy the report says it is, or "".

    >>> agency_named("BEIJING (Reuters) - China said on Monday it would talk.")
    'reuters'
    >>> agency_named("Talks resumed, officials said. — AP")
    'ap'
    >>> agency_named("The truce may hold, according to Reuters.")
    ''
    """
    for key, pattern in _BYLINES.items():
        if pattern.match(outlet.strip()) or pattern.match(byline.strip()):
            return key
    # The page's own dateline, which cleaning removed from the body ("AP Updated 3:15 PM
    # EDT, June 2, 2025"): the page is the agency's.
    for line in datelines:
        for key, pattern in _DATELINES.items():
            if pattern.match(line.strip()):
                return key
    # The credit that comes first in the text, when a report credits more than one. Every
    # credit holds the agency's name as written, followed as _CREDITED says: a text
    # without it is not searched.
    found = [
        (match.start(), key)
        for key, pattern in _CREDITS.items()
        if any(name in body for name in AGENCIES[key][1])
        and _CREDITED[key].search(body)
        and (match := pattern.search(body))
    ]
    return min(found)[1] if found else ""


def signed_text(blocks) -> list[str]:
    """The passages (articles.pipeline.split's blocks, or stored passages) a report's
    signature is made of: all but its headings, which copies rewrite most freely."""
    return [block.text for block in blocks if block.kind != "heading"]


_WORD = re.compile(r"\w+")


def shingles(passages: Iterable[str]) -> set[str]:
    """The word shingles of the passages, each passage on its own: moving a paragraph
    changes nothing, rewording a sentence changes only the shingles that cross it.

    >>> sorted(shingles(["One two three four five six.", "Seven."]))
    ['one two three four five', 'seven', 'two three four five six']
    """
    out = set()
    for text in passages:
        words = _WORD.findall(text.lower())
        if len(words) <= SHINGLE_WORDS:
            if words:
                out.add(" ".join(words))
            continue
        # The words from the first, from the second, …, in step: each step is a shingle
        # (a fifth less time than a slice of the words for each).
        out.update(map(" ".join, zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False)))
    return out


def signature(passages: Iterable[str]) -> bytes | None:
    """The MinHash signature of the passages' shingles, serialised (None: too short).

    Bytes for bytes what datasketch's MinHash (scheme affine32) and LeanMinHash.serialize
    make of the shingles (tests/articles/test_wire.py compares the two over generated
    passages), computed here in a few numpy steps: datasketch hashes each shingle with a
    call of its own (SHA-1, its first four bytes unpacked one by one), some 650 a report,
    and a signature cost more than a third of the wire grouping's time. Each shingle's
    SHA-1 is still hashlib's; then, as datasketch does, each hash is mixed once (the
    MurmurHash3 finalizer, _fmix), permuted as a * h + b modulo 2**32 by each of the
    NUM_PERM permutations (permutations()), and the least value of each kept.
    """
    words = shingles(passages)
    if len(words) < MIN_SHINGLES:
        return None
    import numpy as np

    a, b = permutations()
    sha1 = hashlib.sha1
    least = None
    # In batches: NUM_PERM × batch values at once, and the largest report accepted has some
    # 150,000 shingles (arrays of 75 MB in one go).
    for batch in batched(words, BATCH):
        # A SHA-1 digest is five 32-bit words; datasketch reads the first, little-endian.
        digests = b"".join([sha1(shingle.encode()).digest() for shingle in batch])
        hashes = _fmix(np.frombuffer(digests, dtype="<u4")[::5].astype(np.uint32))
        # One array of len(batch) × NUM_PERM, permuted in place: a * h + b as one
        # expression made a second array as large, a third of the time.
        permuted = np.multiply.outer(hashes, a)
        permuted += b
        lowest = permuted.min(axis=0)
        least = lowest if least is None else np.minimum(least, lowest)
    return _HEADER + least.astype("<u4").tobytes()


# A serialised signature (LeanMinHash.serialize, byte order "<"): the seed (8 bytes), the
# negated number of hash values (4), the scheme's code (1 byte: 1 is affine32), then the
# hash values, 4 bytes each.
_HEADER = struct.pack("<qiB", SEED, -NUM_PERM, 1)
_SIZE = len(_HEADER) + 4 * NUM_PERM


def _fmix(hashes):
    """The 32-bit MurmurHash3 finalizer, which datasketch's affine32 scheme applies to
    each input hash before permuting it: a bijection that spreads similar hashes apart.
    Multiplications wrap around modulo 2**32, as intended, in uint32 arrays."""
    import numpy as np

    hashes = hashes ^ (hashes >> np.uint32(16))
    hashes = hashes * np.uint32(0x85EBCA6B)
    hashes = hashes ^ (hashes >> np.uint32(13))
    hashes = hashes * np.uint32(0xC2B2AE35)
    return hashes ^ (hashes >> np.uint32(16))


@cache
def permutations():
    """The MinHash's permutation parameters (a, b: NUM_PERM uint32 each), drawn from SEED
    by datasketch: the same for every report, so drawn once (datasketch draws them for
    each new MinHash, a third of a signature's time when a report is a few hundred
    shingles)."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def load(stored):
    """A stored signature as a datasketch LeanMinHash."""
    from datasketch import LeanMinHash

    return LeanMinHash.deserialize(bytes(stored), byteorder="<")


def hash_values(stored):
    """A stored signature's hash values, read in place as a uint32 array, when it is of
    the form signature() writes (SEED, NUM_PERM, affine32); otherwise None, and load()
    reads it. Reading the values needs no LeanMinHash (struct unpacking 128 values into
    a tuple, then an array), for every candidate of every report grouped."""
    import numpy as np

    if len(stored) != _SIZE or stored[: len(_HEADER)] != _HEADER:
        return None
    return np.frombuffer(stored, dtype="<u4", offset=len(_HEADER))


@cache
def lsh_params() -> tuple[int, int]:
    """Bands and rows for THRESHOLD, which datasketch finds by integration: once."""
    from datasketch import MinHashLSH

    index = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    return index.b, index.r


def band_keys(stored: bytes) -> list[int]:
    """The keys of a stored signature's LSH bands, as datasketch's MinHashLSH cuts them
    (lsh_params): two reports whose shingles are at THRESHOLD or more alike share a band
    with high probability, and two unrelated ones almost never. Stored with the report
    (WireBand) and looked up by key, they find its likely copies among thousands of
    reports without reading the others' signatures. Each key is a 64-bit hash of the
    band's number and values, signed to fit a database bigint.
    """
    bands, rows = lsh_params()
    values = hash_values(stored)
    if values is None:
        values = load(stored).hashvalues
    # Each value as 8 bytes, little-endian; a band is `rows` of them in a row.
    raw, width = values.astype("<u8").tobytes(), rows * 8
    return [
        int.from_bytes(
            hashlib.blake2b(
                band.to_bytes(2, "little") + raw[band * width : (band + 1) * width],
                digest_size=8,
            ).digest(),
            "little",
            signed=True,
        )
        for band in range(bands)
    ]


def similar(stored: bytes, others: Iterable[tuple[object, bytes]]) -> dict[object, float]:
    """Which of `others` (key, signature) are near copies of `stored`: key → estimated
    Jaccard similarity, for those at THRESHOLD or above.

    `others` are the candidates: the reports that share one of its bands (band_keys);
    each one's similarity is estimated from the two signatures, as datasketch's jaccard
    estimates it (the share of hash values the two have alike), from their values read
    in place (hash_values); a signature of another form goes through datasketch, which
    refuses to compare two of different schemes.
    """
    import numpy as np

    mine = hash_values(stored)
    found = {}
    for key, other in others:
        theirs = hash_values(other)
        if mine is None or theirs is None:
            score = load(stored).jaccard(load(other))
        else:
            score = int(np.count_nonzero(mine == theirs)) / NUM_PERM
        if score >= THRESHOLD:
            found[key] = score
    return found
