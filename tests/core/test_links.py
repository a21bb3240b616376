"""Paper-id normalisation: new-style ids by era, old-style ids, URLs and versions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from papershelf.core.links import (
    URL_MAX,
    arxiv_doi,
    arxiv_url,
    bibtex_url,
    doi_url,
    hf_url,
    is_openable,
    is_paper_id,
    normalize_paper_id,
    pdf_url,
    safe_url,
    same_site,
)


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


# --- more id forms, and what must never pass -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "paper_id"),
    [
        ("  2407.21783  ", "2407.21783"),
        ("ARXIV: 2407.21783", "2407.21783"),
        ("http://arxiv.org/abs/2407.21783", "2407.21783"),
        ("arxiv.org/abs/2407.21783", "2407.21783"),
        ("https://www.arxiv.org/abs/2407.21783v3", "2407.21783"),
        ("https://arxiv.org/html/2407.21783v1", "2407.21783"),
        ("https://ARXIV.org/PDF/2407.21783", "2407.21783"),
        ("https://arxiv.org/pdf/2407.21783.PDF", "2407.21783"),
        ("https://hf.co/papers/2407.21783", "2407.21783"),
        ("https://huggingface.co/papers/2407.21783/", "2407.21783"),
        ("https://huggingface.co/papers/2407.21783?x=1#top", "2407.21783"),
        ("https://huggingface.co/papers/2407.21783#top", "2407.21783"),
        ("2501.00001", "2501.00001"),
        ("1412.1234", "1412.1234"),
        ("2412.12345v10", "2412.12345"),
        ("0712.1234", "0712.1234"),
        ("0701.1234", "0701.1234"),
        ("cs/0112001", "cs/0112001"),
        ("cond-mat.str-el/0101001v2", "cond-mat.str-el/0101001"),
        ("q-bio.NC/0401001", "q-bio.NC/0401001"),
    ],
)
def test_more_accepted_ids(text, paper_id):
    assert normalize_paper_id(text) == paper_id


@pytest.mark.parametrize(
    "text",
    [
        "cs/../../0101001",  # path-like
        "cs/../0101001",
        "../0101001",
        "cs//0101001",
        "cs./0101001",
        "cs.AI./0101001",
        "cs-/0101001",
        "-cs/0101001",
        "cs--x/0101001",
        "cs.A--I/0101001",
        "Cs/0101001",
        "cs/0100001",  # no month 0
        "cs/01010011",
        "cs/0101001v",
        "cs/0101001vx",
        "cs/0101001/x",
        "2407.21783v",
        "2407.21783x",
        "2407.217834",
        "x2407.21783",
        "2407..21783",
        "24070.21783",
        "2407.21783/../x",
        "a},note={INJ",
        "2407.21783\x1b]0;x\x07",
        "2407.21783\n",  # kept: strip() takes it, see below
    ][:-1],
)
def test_more_rejected_ids(text):
    assert normalize_paper_id(text) is None


def test_id_length_is_capped_before_any_pattern_runs():
    assert normalize_paper_id("2407.21783" + " " * 10) == "2407.21783"
    assert normalize_paper_id("https://www.huggingface.co/papers/" + "1" * 70) is None
    assert normalize_paper_id("x" * 5_000_000) is None
    padded = "https://huggingface.co/papers/2407.21783v1234567890123456789012345678901234567890"
    assert normalize_paper_id(padded) == "2407.21783"


def test_is_paper_id_accepts_only_the_bare_canonical_form():
    assert is_paper_id("2407.21783")
    assert is_paper_id("cs/0101001")
    assert is_paper_id("math.AG/0601001")
    assert not is_paper_id("2407.21783v2")
    assert not is_paper_id("arXiv:2407.21783")
    assert not is_paper_id(" 2407.21783")
    assert not is_paper_id("cs/../0101001")
    assert not is_paper_id("")


def test_link_builders():
    assert hf_url("2407.21783") == "https://huggingface.co/papers/2407.21783"
    assert pdf_url("2407.21783") == "https://arxiv.org/pdf/2407.21783"
    assert arxiv_doi("2407.21783") == "10.48550/arXiv.2407.21783"
    assert doi_url("2407.21783") == "https://doi.org/10.48550/arXiv.2407.21783"
    assert bibtex_url("2407.21783") == "https://arxiv.org/bibtex/2407.21783"
    assert bibtex_url("2407.21783", "http://127.0.0.1:8/") == "http://127.0.0.1:8/bibtex/2407.21783"


# --- which URLs may be shown, copied, cited or opened ---------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/owner/repo",
        "http://example.org",
        "HTTPS://GitHub.com/a/b",
        "https://sub.example.co.uk/path/?q=1&r=2#frag",
        "http://127.0.0.1:8080/x",
        "https://localhost/",
        "https://a-b.example.com:443/",
        "https://x.com/" + "a" * (URL_MAX - len("https://x.com/")),
        "https://xn--bcher-kva.example/ü",
        "https://9.example",
        "https://" + "a" * 63 + ".com",
    ],
)
def test_openable_urls(url):
    assert is_openable(url)
    assert safe_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "file://host/etc/passwd",
        "file:///etc/passwd",
        "javascript://x",
        "javascript:alert(1)",
        "data:text/html,<script>",
        "ftp://example.org/",
        "//example.org/",
        "example.org",
        "https://",
        "https:///path",
        "https://exa mple.org",
        "https://example.org/a b",
        "https://example.org/\x00",
        "\x00https://example.org/",
        "\x01https://example.org/",
        "https://example.org\x1b]0;PWNED\x07",
        "https://github.com/evil/repo\x1b]52;c;cHduZWQ=\x07",
        "https://example.org/\x9d0;x\x9c",
        "https://example.org/\u202egnp.exe",
        "https://example.org/\u200b",
        "https://example.org/\ud800",
        "https://example.org/\na",
        "https://example.org/\ta",
        "https://user@example.org/",
        "https://user:pw@example.org/",
        "https://github.com@evil.example/",
        "https://example.org:0/",
        "https://example.org:99999/",
        "https://example.org:port/",
        "https://-bad.example/",
        "https://bad-.example/",
        "https://bad..example/",
        "https://.example/",
        "https://example./",
        "https://exa_mple.org/",
        "https://[::1]/",
        "https://" + "a" * 64 + ".com",
        "https://x.com/" + "a" * (URL_MAX - len("https://x.com/") + 1),
    ],
)
def test_refused_urls(url):
    assert not is_openable(url)
    assert safe_url(url) is None


def test_safe_url_trims_spaces_only_and_refuses_non_strings():
    assert not is_openable("https://example.org/\n") and not is_openable(" https://example.org/")
    assert safe_url("  https://example.org/ \n") == "https://example.org/"
    assert safe_url("\thttps://example.org/") == "https://example.org/"
    assert safe_url("\x0bhttps://example.org/") is None
    assert safe_url("\x1fhttps://example.org/") is None
    assert safe_url(42) is None
    assert safe_url(["https://example.org/"]) is None


@given(st.text(max_size=60))
def test_an_openable_url_is_always_plain_http(text):
    if is_openable(text):
        assert text.isprintable() and " " not in text
        assert text.lower().startswith(("http://", "https://"))


@given(
    st.from_regex(
        r"https?://[a-z0-9]{1,20}(\.[a-z]{2,6}){1,3}(/[a-zA-Z0-9_~.-]{0,12}){0,4}", fullmatch=True
    )
)
def test_ordinary_web_urls_are_openable(url):
    assert is_openable(url)


@given(
    st.from_regex(r"https://[a-z]{1,8}\.com/[a-z]{0,8}", fullmatch=True),
    st.sampled_from(
        [
            "\x00",
            "\x07",
            "\x1b",
            "\x7f",
            "\x85",
            "\x9b",
            "\x9d",
            "\u202e",
            "\u2066",
            "\ufeff",
            " ",
            "\n",
        ]
    ),
    st.integers(min_value=0, max_value=40),
)
def test_a_control_anywhere_refuses_the_url(url, control, position):
    position = min(position, len(url))
    assert not is_openable(url[:position] + control + url[position:])


@given(st.from_regex(r"[0-9]{4}\.[0-9]{4,5}(v[0-9]{1,3})?", fullmatch=True))
def test_normalized_ids_are_canonical(text):
    paper_id = normalize_paper_id(text)
    if paper_id is not None:
        assert is_paper_id(paper_id)
        assert normalize_paper_id(f"https://arxiv.org/abs/{text}") == paper_id
        assert "v" not in paper_id


def test_id_length_limit_is_exact():
    prefix = "https://www.huggingface.co/papers/"
    at_limit = prefix + "2407.21783v" + "1" * (64 - len("2407.21783v"))
    assert normalize_paper_id(at_limit) == "2407.21783"
    assert normalize_paper_id(at_limit + "1") is None


def test_only_the_first_query_or_fragment_mark_counts():
    assert normalize_paper_id("https://huggingface.co/papers/2407.21783#a#b") == "2407.21783"
    assert normalize_paper_id("https://huggingface.co/papers/2407.21783?a?b") == "2407.21783"
    assert normalize_paper_id("2407.21783X") is None
    assert normalize_paper_id("2407.21783X/") is None


def test_port_one_is_a_port_and_trimming_keeps_letters():
    assert is_openable("https://example.org:1/")
    assert safe_url("Xhttps://example.org/") is None
    assert safe_url("https://example.org/X") == "https://example.org/X"
    assert bibtex_url("2407.21783", "http://hostX") == "http://hostX/bibtex/2407.21783"


def test_urls_longer_than_2048_characters_are_refused():
    assert is_openable("https://x.com/" + "a" * (2048 - 14))
    assert not is_openable("https://x.com/" + "a" * (2049 - 14))


@pytest.mark.parametrize(
    ("home", "there", "same"),
    [
        ("https://arxiv.org", "https://arxiv.org/bibtex/1706.03762", True),
        ("http://arxiv.org", "https://arxiv.org/bibtex/1706.03762", True),  # made https
        ("https://arxiv.org", "http://arxiv.org/bibtex/1706.03762", False),  # made plain
        ("https://arxiv.org", "https://ARXIV.org/x", True),
        ("https://arxiv.org", "https://evil.example/x", False),
        ("https://arxiv.org", "https://arxiv.org.evil.example/x", False),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765/x", True),
        ("http://127.0.0.1:8765", "http://127.0.0.1:9999/x", False),
        ("http://127.0.0.1:8765", "http://127.0.0.1:99999/x", False),  # no such port
        ("https://arxiv.org", "file:///etc/passwd", False),
        ("https://arxiv.org", "https://user@arxiv.org/x", True),  # host compared, not userinfo
    ],
)
def test_same_site(home, there, same):
    assert same_site(home, there) is same
