"""What makes two papers related: the terms of a paper and the BM25 weights that rank them.

Pure functions, no I/O: `data/papers/related_index.py` stores the terms in an index on disk and
asks it for the papers sharing the most weighted terms (and authors) with a given one.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter

from papershelf.core.model import Paper
from papershelf.core.text import fold

K1 = 1.2
B = 0.75
"""BM25's usual constants: term-frequency saturation and length normalization."""

TITLE_WEIGHT = 3
KEYWORD_WEIGHT = 2
"""A word in the title or the AI keywords says more about the topic than one in the abstract."""

AUTHOR_BONUS = 0.03
"""Added to the (self-normalized, 0..1) text score per shared author, up to `MAX_SHARED`."""
MAX_SHARED = 3

QUERY_TERMS = 60
"""How many of a paper's most telling terms are kept and looked up for its related papers."""

DOC_TERMS = 40
"""A paper is found by its most telling terms only (by BM25 weight when it was indexed): the
index stays small and quick to sum, and the words left out would add little to the ranking."""

_WORD = re.compile(r"[a-z0-9][a-z0-9\-]*[a-z0-9]|[a-z]")
# Words that say nothing about a topic in an ML abstract; a short list on purpose (BM25's IDF
# already silences common words, this only keeps them out of the index).
_STOPWORD_TEXT = """
    a about above across after again against all also although among an and any are as at be
    because been before being below between both but by can could did do does doing done during
    each either et etc few for from further had has have having here how however i if in into is
    it its itself just may might more most much must no nor not of off on once only or other our
    ours out over own paper per propose proposed same several should show shows shown since so
    some such than that the their them then there these they this those through thus to too
    under until up upon us using very via was we well were what when where whether which while
    who whom why will with within without would yet you your new based approach method methods
    results result work works recent recently existing present presents study novel demonstrate
    achieve achieves achieving significantly significant furthermore moreover code available
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light plural folding (`models` -> `model`, `policies` -> `policy`), nothing more."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The indexable words of `text`: folded, stopwords dropped, plurals folded."""
    return [
        stem(word)
        for word in _WORD.findall(fold(text))
        if word not in STOPWORDS and not word.isdigit()
    ]


def paper_terms(paper: Paper) -> Counter[str]:
    """Term frequencies of a paper: title and AI keywords count more than the abstract."""
    terms: Counter[str] = Counter(words(paper.summary))
    for word in words(paper.title):
        terms[word] += TITLE_WEIGHT
    for keyword in paper.keywords:
        for word in words(keyword):
            terms[word] += KEYWORD_WEIGHT
    return terms


def author_keys(paper: Paper) -> list[str]:
    """Folded, whitespace-collapsed author names: how shared authors are recognized."""
    keys = (" ".join(fold(author.name).split()) for author in paper.authors)
    return list(dict.fromkeys(key for key in keys if key))


def doc_weight(tf: int, length: int, average_length: float) -> float:
    """BM25's saturated, length-normalized term frequency of one term in one paper."""
    norm = K1 * (1 - B + B * length / max(average_length, 1.0))
    return tf * (K1 + 1) / (tf + norm)


def idf(document_frequency: int, documents: int) -> float:
    """BM25's inverse document frequency (never negative)."""
    return math.log(1 + (documents - document_frequency + 0.5) / (document_frequency + 0.5))


def combined_score(text_score: float, self_score: float, shared_authors: int) -> float:
    """The text score scaled by the paper's score against itself, plus shared authors."""
    scaled = text_score / self_score if self_score > 0 else 0.0
    return scaled + AUTHOR_BONUS * min(shared_authors, MAX_SHARED)
