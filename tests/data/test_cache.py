"""ResponseCache: raw bytes round trip, no pickling, recovery from a damaged directory."""

from __future__ import annotations

import datetime as dt
import sqlite3

from papershelf.data import paths
from papershelf.data.cache import ResponseCache

WHEN = dt.datetime(2026, 8, 21, 9, 30, tzinfo=dt.UTC)


def test_round_trip_keeps_bytes_and_time(tmp_path):
    """What goes in comes out byte for byte, with its fetch time."""
    cache = ResponseCache(tmp_path / "c")
    body = '[{"title": "Ünïcode ✓"}]'.encode()
    cache.put("daily:2026-08-21", body, WHEN)
    got = cache.get("daily:2026-08-21")
    assert got is not None
    assert got.body == body
    assert got.fetched_at == WHEN
    assert cache.get("daily:2026-08-20") is None
    cache.close()


def test_large_body_round_trip(tmp_path):
    """Bodies beyond diskcache's in-database size live in files and still round-trip."""
    cache = ResponseCache(tmp_path / "c")
    body = b"[" + b",".join(b'{"x": "%d"}' % n for n in range(20000)) + b"]"
    cache.put("month:2026-08", body, WHEN)
    cache.close()
    again = ResponseCache(tmp_path / "c")
    assert again.get("month:2026-08").body == body
    again.close()


def test_default_directory_is_under_cache_dir():
    cache = ResponseCache()
    assert cache.directory == paths.cache_dir() / "responses"
    assert not cache.directory.exists()  # nothing is created before first use


def test_values_are_stored_as_bytes_not_pickles(tmp_path):
    """The database holds a bytes blob (raw mode), never a pickled object."""
    cache = ResponseCache(tmp_path / "c")
    cache.put("trending", b"[]", WHEN)
    cache.close()
    with sqlite3.connect(tmp_path / "c" / "cache.db") as db:
        mode, value = db.execute("SELECT mode, value FROM Cache WHERE key = 'trending'").fetchone()
    assert mode == 1  # diskcache MODE_RAW
    assert bytes(value).endswith(b"\n[]")


def test_corrupt_database_is_moved_aside_and_rebuilt(tmp_path):
    """A garbage cache.db never crashes: the directory is moved aside, a warning is set."""
    directory = tmp_path / "c"
    directory.mkdir()
    (directory / "cache.db").write_bytes(b"this is not a sqlite database" * 100)
    cache = ResponseCache(directory)
    assert cache.get("latest") is None
    assert cache.warning and "rebuilt" in cache.warning
    cache.put("latest", b"[]", WHEN)
    assert cache.get("latest").body == b"[]"
    assert any(p.name.startswith("c.broken-") for p in tmp_path.iterdir())
    cache.close()


def test_directory_that_is_a_file_is_moved_aside(tmp_path):
    target = tmp_path / "c"
    target.write_text("oops")
    cache = ResponseCache(target)
    cache.put("latest", b"[1]", WHEN)
    assert cache.get("latest").body == b"[1]"
    assert cache.warning
    cache.close()


def test_unusable_location_disables_caching(tmp_path):
    """When even a fresh directory cannot be made, caching is off with a warning."""
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a directory should be")
    cache = ResponseCache(blocker / "inner" / "c")
    cache.put("latest", b"[]", WHEN)
    assert cache.get("latest") is None
    assert cache.warning and "off" in cache.warning


def test_foreign_blob_is_a_miss(tmp_path):
    """A value without papershelf's header (e.g. another format version) is ignored."""
    import diskcache

    with diskcache.Cache(str(tmp_path / "c")) as raw:
        raw.set("latest", b"no header here")
        raw.set("trending", b'{"format": 99, "fetched_at": "2026-08-21T00:00:00+00:00"}\n[]')
    cache = ResponseCache(tmp_path / "c")
    assert cache.get("latest") is None
    assert cache.get("trending") is None
    cache.close()
