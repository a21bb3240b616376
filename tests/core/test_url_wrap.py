"""URLs wrap after `/` (and `?`, `&`, `#`), never inside a word."""

from __future__ import annotations

from papershelf.core.url_wrap import wrap_url

URL = "https://zju-omniai.github.io/Embodied-Navigator/"


def test_a_url_that_fits_stays_whole():
    assert wrap_url(URL, 60) == [URL]


def test_a_long_url_breaks_after_slashes():
    lines = wrap_url(URL, 46)
    assert lines == ["https://zju-omniai.github.io/", "Embodied-Navigator/"]
    assert "".join(lines) == URL


def test_beside_a_label_the_first_line_is_shorter():
    lines = wrap_url(URL, 46, first_width=38)
    assert lines == ["https://zju-omniai.github.io/", "Embodied-Navigator/"]
    lines = wrap_url(URL, 46, first_width=5)
    assert lines[0] == ""
    assert "".join(lines) == URL


def test_a_segment_longer_than_a_line_is_cut_at_the_width():
    url = "https://example.org/" + "x" * 30
    lines = wrap_url(url, 12)
    assert all(len(line) <= 12 for line in lines)
    assert "".join(lines) == url


def test_query_strings_break_after_separators():
    url = "https://example.org/page?first=1&second=2"
    assert wrap_url(url, 20) == ["https://example.org/", "page?first=1&", "second=2"]
