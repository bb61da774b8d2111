"""Story linking: the same story from several sources (syndicated copies, near-identical text) is found
with MinHash over word shingles and an LSH index, and its articles share one story id. datasketch (and
the numpy and scipy it pulls in, most of a second) is imported when a first article is compared."""

from __future__ import annotations

import re
import threading
import zlib
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SCHEME = "affine32"
SHINGLE = 4  # words
MIN_WORDS = 40  # shorter texts share too few shingles to tell a copy from a coincidence
THRESHOLD = 0.5  # estimated Jaccard similarity of the shingle sets; other stories score under 0.1

_WORD = re.compile(r"\w+", re.UNICODE)


@cache
def _permutations() -> Any:
    """The permutations every sketch shares: made once."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations


def sketch(title: str, text: str) -> bytes | None:
    """The MinHash signature of an article's words, or None when the text is too short to compare."""
    words = _WORD.findall(f"{title} {text}".lower())
    if len(words) < MIN_WORDS:
        return None
    import numpy as np
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashfunc=zlib.crc32, permutations=_permutations())
    minhash.update_batch({" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)})
    signature: bytes = minhash.hashvalues.astype(np.uint32).tobytes()
    return signature


def _minhash(signature: bytes) -> MinHash:
    import numpy as np
    from datasketch import MinHash

    return MinHash(
        hashvalues=np.frombuffer(signature, dtype=np.uint32), scheme=SCHEME, permutations=_permutations()
    )


class StoryIndex:
    """Recent articles' signatures, to find the story a new article belongs to. Safe to share between
    threads: a process keeps one per database (digest.ingest.run) and brings it up to date."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.lsh: MinHashLSH = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.stories: dict[int, int] = {}  # article id -> story id
        self.sources: dict[int, int] = {}  # article id -> source id
        self.minhashes: dict[int, MinHash] = {}
        self.newest = 0  # the highest article id added
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.stories)

    def __contains__(self, article_id: int) -> bool:
        return article_id in self.stories

    def add(self, article_id: int, story_id: int, source_id: int, signature: bytes) -> None:
        minhash = _minhash(signature)
        with self._lock:
            if article_id in self.stories:
                self.lsh.remove(article_id)
            self.minhashes[article_id] = minhash
            self.lsh.insert(article_id, minhash)
            self.stories[article_id] = story_id
            self.sources[article_id] = source_id
            self.newest = max(self.newest, article_id)

    def story_of(self, signature: bytes, source_id: int) -> int | None:
        """The story of the most similar article from another source, if one is similar enough."""
        minhash = _minhash(signature)
        best, best_score = None, self.threshold
        with self._lock:
            for article_id in self.lsh.query(minhash):
                if self.sources[article_id] == source_id:
                    continue
                score = minhash.jaccard(self.minhashes[article_id])
                if score >= best_score:
                    best, best_score = article_id, score
            return self.stories[best] if best is not None else None
