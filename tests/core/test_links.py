"""Paper-id normalisation: new-style ids by era, old-style ids, URLs and versions."""

from __future__ import annotations

import pytest

from papershelf.core.links import arxiv_url, normalize_paper_id


@pytest.mark.parametrize(
    ("text", "paper_id"),
    [
        ("2407.21783", "2407.21783"),
        ("arXiv:2407.21783v2", "2407.21783"),
        ("https://huggingface.co/papers/2407.21783", "2407.21783"),
        ("https://arxiv.org/pdf/2407.21783v1.pdf", "2407.21783"),
        ("1412.6980", "1412.6980"),
        ("0704.0001", "0704.0001"),
        ("cs/0101001", "cs/0101001"),
        ("hep-th/9901001v2", "hep-th/9901001"),
        ("math.AG/0601001", "math.AG/0601001"),
        ("https://arxiv.org/abs/cs/0101001", "cs/0101001"),
        ("arXiv:cond-mat/0211034", "cond-mat/0211034"),
    ],
)
def test_accepted_ids(text, paper_id):
    assert normalize_paper_id(text) == paper_id


@pytest.mark.parametrize(
    "text",
    [
        "2611.0001",  # four digits after the dot only before 2015
        "1501.1234",
        "1412.12345",  # five digits only from 2015
        "2413.00001",  # no month 13
        "2400.00001",
        "cs/0113001",
        "cs/010100",
        "not an id",
        "",
    ],
)
def test_rejected_ids(text):
    assert normalize_paper_id(text) is None


def test_old_style_id_links():
    assert arxiv_url("cs/0101001") == "https://arxiv.org/abs/cs/0101001"
