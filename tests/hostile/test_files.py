"""Hostile cases at the file and UI edges: backups and exports to FIFOs, devices and stdout;
a browser that never returns or does not exist; filters, key names and options built to break
the parser or the table."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import threading
from pathlib import Path

import pytest

from papershelf.cli import main
from papershelf.core.model import Author, Paper
from papershelf.data.library import Library

PAPER = Paper(id="2601.00001", title="A Known Paper", authors=(Author("Ada Lovelace"),))


@pytest.fixture(autouse=True)
def no_renames_over_special_files(monkeypatch):
    """Renaming onto a FIFO or a device replaces it (as root, /dev/null itself): fail instead.

    Keeps every test here harmless even against a regressed writer.
    """
    real_replace, real_rename = os.replace, os.rename

    def guarded(real):
        def move(source, destination, *args, **kwargs):
            try:
                mode = os.stat(destination).st_mode
            except OSError:
                mode = None
            if mode is not None and not stat.S_ISREG(mode):
                raise AssertionError(f"renamed a file over the special file {destination}")
            return real(source, destination, *args, **kwargs)

        return move

    monkeypatch.setattr(os, "replace", guarded(real_replace))
    monkeypatch.setattr(os, "rename", guarded(real_rename))


@pytest.fixture
def starred():
    with Library.open() as library:
        library.star([PAPER])


@pytest.fixture
def null_device(tmp_path) -> Path:
    """A character device that discards writes: a private copy of /dev/null where the system
    allows making one (root), else /dev/null itself (only ever written, never replaced)."""
    node = tmp_path / "null"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (OSError, AttributeError):
        return Path("/dev/null")
    return node


def read_fifo_in_thread(fifo: Path) -> tuple[threading.Thread, bytearray]:
    received = bytearray()

    def reader() -> None:
        with open(fifo, "rb") as handle:
            while chunk := handle.read(65536):
                received.extend(chunk)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    return thread, received


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_beside_fifo(capsys, fifo: Path, *argv: str, seconds: float = 10) -> tuple[int, str, str]:
    """`run`, bounded: a command that opens the FIFO to read it would wait for a writer forever
    (and so would the test's own reader); fail instead, after releasing both."""
    result: list[int] = []
    worker = threading.Thread(target=lambda: result.append(main(list(argv))), daemon=True)
    worker.start()
    worker.join(timeout=seconds)
    if worker.is_alive():
        with contextlib.suppress(OSError):  # a writer releases every reader waiting on it
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(timeout=seconds)
        pytest.fail(f"papershelf {' '.join(argv)} blocked on the FIFO")
    out, err = capsys.readouterr()
    return result[0], out, err


# --- backup and export: FIFOs, devices, stdout ---------------------------------------------


def test_backup_into_a_fifo_reaches_its_reader_and_the_fifo_stays(capsys, starred, tmp_path):
    fifo = tmp_path / "backup.fifo"
    os.mkfifo(fifo)
    thread, received = read_fifo_in_thread(fifo)
    code, _, err = run_beside_fifo(capsys, fifo, "library", "backup", str(fifo))
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert code == 0 and "backup written" in err
    assert json.loads(received.decode("utf-8"))["stars"][0]["id"] == PAPER.id
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["backup.fifo"]


def test_backup_through_a_dev_fd_pipe(capsys, starred):
    """`papershelf library backup >(wc -c)`: the shell passes /dev/fd/N, the write end of a pipe."""
    if not Path("/dev/fd").is_dir():
        pytest.skip("no /dev/fd on this system")
    read_end, write_end = os.pipe()
    received = bytearray()

    def reader() -> None:
        with os.fdopen(read_end, "rb") as handle:
            while chunk := handle.read(65536):
                received.extend(chunk)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    try:
        code, _, err = run(capsys, "library", "backup", f"/dev/fd/{write_end}")
    finally:
        os.close(write_end)
    thread.join(timeout=10)
    assert code == 0, err
    assert json.loads(received.decode("utf-8"))["stars"][0]["id"] == PAPER.id


def test_backup_to_a_character_device_keeps_the_device(capsys, starred, null_device):
    code, _, err = run(capsys, "library", "backup", str(null_device))
    assert code == 0, err
    assert stat.S_ISCHR(os.stat(null_device).st_mode)


def test_a_full_device_is_reported_not_called_written(capsys, starred, null_device, monkeypatch):
    """A device that refuses the bytes (as /dev/full does, simulated: ENOSPC on write)."""

    def full(descriptor, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    code, _, err = run(capsys, "library", "backup", str(null_device))
    assert code == 1
    assert "backup written" not in err
    assert f"Cannot write the backup to {null_device}: No space left on device." in err
    assert "Traceback" not in err and "Errno" not in err
    assert stat.S_ISCHR(os.stat(null_device).st_mode)


def test_backup_dash_is_stdout_and_makes_no_file(capsys, starred, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "library", "backup", "-")
    assert code == 0 and json.loads(out)["stars"][0]["id"] == PAPER.id
    assert "backup written" not in err
    assert not (tmp_path / "-").exists()


def test_backup_to_a_missing_folder_is_refused(capsys, starred, tmp_path):
    target = tmp_path / "no" / "such" / "backup.json"
    code, _, err = run(capsys, "library", "backup", str(target))
    assert code == 1 and "does not exist" in err
    assert not (tmp_path / "no").exists()


def test_export_into_a_fifo_reaches_its_reader(capsys, starred, tmp_path):
    fifo = tmp_path / "refs.bib"
    os.mkfifo(fifo)
    thread, received = read_fifo_in_thread(fifo)
    code, _, err = run_beside_fifo(capsys, fifo, "export", str(fifo))
    thread.join(timeout=10)
    assert code == 0, err
    assert "Exported 1 paper" in err  # stdout is for data only
    assert "@misc{" in received.decode("utf-8") and PAPER.id in received.decode("utf-8")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_export_to_a_character_device_keeps_the_device(capsys, starred, null_device):
    code, _, err = run(capsys, "export", str(null_device), "--format", "ris")
    assert code == 0, err
    assert stat.S_ISCHR(os.stat(null_device).st_mode)


def test_export_to_a_full_device_is_an_error(capsys, starred, null_device, monkeypatch):
    def full(descriptor, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    code, out, err = run(capsys, "export", str(null_device), "--format", "bibtex")
    assert code == 1
    assert "Exported" not in out
    assert f"Could not write {null_device}: No space left on device." in err


def test_export_dash_is_stdout(capsys, starred, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "export", "-", "--format", "bibtex")
    assert code == 0, err
    assert out.startswith("@misc{") and PAPER.id in out
    assert "Exported 1 paper to -." in err
    assert not (tmp_path / "-").exists()


def test_export_to_a_missing_folder_is_refused_and_makes_none(capsys, starred, tmp_path):
    target = tmp_path / "nonexistent" / "dir" / "x.bib"
    code, _, err = run(capsys, "export", str(target))
    assert code == 1
    assert "does not exist (create it first)" in err and "Errno" not in err
    assert not (tmp_path / "nonexistent").exists()


# --- opening a link never blocks the reader ------------------------------------------------


@pytest.fixture
def reader_app(tmp_path):
    """The reader on the bundled sample, offline, with its own library."""
    from papershelf.tui.app import make_app
    from tests.tui.support import NOW

    with Library.open(tmp_path / "library.sqlite") as library:
        app = make_app(clock=lambda: NOW, restore_session=False, offline=True, library=library)
        app.services.filter_debounce = 0
        app.services.detail_debounce = 0
        yield app


def slow_browser(tmp_path: Path, seconds: int = 15) -> tuple[Path, Path]:
    """A `$BROWSER` that records its pid and URL, then stays open `seconds` (as a browser that
    was not yet running stays until it is closed)."""
    record = tmp_path / "browser-started"
    script = tmp_path / "slow-browser"
    script.write_text(
        f'#!/bin/sh\necho "$$ $1" > "{record}.tmp" && mv "{record}.tmp" "{record}"\n'
        f"exec sleep {seconds}\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script, record


async def test_a_browser_that_stays_open_never_freezes_the_keys(reader_app, tmp_path, monkeypatch):
    import time

    from papershelf.tui.widgets.paper_list import PaperList
    from tests.tui.support import settle, until

    script, record = slow_browser(tmp_path)
    monkeypatch.setenv("BROWSER", str(script))
    app = reader_app
    try:
        async with app.run_test(size=(120, 35)) as pilot:
            await settle(app, pilot)
            paper_list = app.screen.query_one(PaperList)
            assert len(paper_list.papers) > 2
            first = paper_list.highlighted_paper
            started = time.monotonic()
            await pilot.press("o")
            await pilot.press("j")
            await pilot.press("j")
            await pilot.pause()
            keys_took = time.monotonic() - started
            assert paper_list.cursor == 2
            assert keys_took < 3, f"keys waited {keys_took:.1f} s for the browser"
            await until(pilot, record.exists, "the browser command started", delay=0.05)
            assert record.read_text("utf-8").split()[1] == first.hf_url
            assert not any(n.severity == "error" for n in app._notifications)
            await pilot.press("q")
        assert time.monotonic() - started < 10  # quitting does not wait for the browser
    finally:
        if record.exists():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(record.read_text("utf-8").split()[0]), 15)


async def test_a_missing_browser_command_is_a_plain_notification(reader_app, tmp_path, monkeypatch):
    from tests.tui.support import settle, until

    missing = tmp_path / "no-such-browser"
    monkeypatch.setenv("BROWSER", str(missing))
    app = reader_app
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        await pilot.press("o")

        def errors() -> list[str]:
            return [str(n.message) for n in app._notifications if n.severity == "error"]

        await until(pilot, errors, "a notification about the browser", delay=0.05)
        [message] = errors()
        assert message == (
            f"Could not start the browser '{missing}' from $BROWSER: No such file or directory."
        )
        assert app.is_running


async def test_a_browser_that_fails_at_once_is_reported(reader_app, tmp_path, monkeypatch):
    failing = tmp_path / "failing-browser"
    failing.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setenv("BROWSER", f"{failing} --new-window %s")
    from tests.tui.support import settle, until

    app = reader_app
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        await pilot.press("o")

        def errors() -> list[str]:
            return [str(n.message) for n in app._notifications if n.severity == "error"]

        await until(pilot, errors, "a notification about the browser", delay=0.05)
        assert errors() == [f"The browser '{failing}' from $BROWSER failed (exit status 3)."]


def test_browser_url_is_one_argument_never_a_shell_word(tmp_path):
    """A URL with shell syntax reaches the browser as one argument, in `%s`'s place."""
    from papershelf.tui.browser import launch_browser

    record = tmp_path / "argv"
    script = tmp_path / "browser"
    script.write_text(
        f'#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > "{record}"\n', encoding="utf-8"
    )
    script.chmod(0o755)
    url = "https://example.org/a;touch${IFS}pwned&b=$(id)"
    problem = launch_browser(url, {"BROWSER": f"{script} --flag %s --after"}, settle=5)
    assert problem is None
    assert record.read_text("utf-8").splitlines() == ["--flag", url, "--after"]
    assert not (tmp_path / "pwned").exists()


# --- the command line and the config file --------------------------------------------------


def test_five_hundred_nested_parentheses_are_a_plain_error(capsys, starred):
    query = "(" * 500 + "llama" + ")" * 500
    code, out, err = run(capsys, "list", "--starred", "--filter", query)
    assert code == 2 and out == ""
    assert "nested too deeply" in err
    assert "Traceback" not in err and "RecursionError" not in err


@pytest.mark.parametrize(
    "query",
    ["(" * 500 + "x" + ")" * 500, "-" * 2000 + "x", "NOT " * 2000 + "x", "(-" * 400 + "x"],
    ids=["parentheses", "minus", "not", "mixed"],
)
def test_deep_nesting_is_a_query_error_not_a_recursion_error(query):
    from papershelf.core.query import compile_query
    from papershelf.core.query.parser import MAX_NESTING
    from papershelf.core.query.tokens import QueryError

    with pytest.raises(QueryError, match="nested too deeply") as caught:
        compile_query(query)
    assert caught.value.start < len(query)
    # The limit itself is a usable query.
    compile_query("(" * MAX_NESTING + "x" + ")" * MAX_NESTING)
    compile_query("-" * MAX_NESTING + "x")


def write_config(text: str) -> Path:
    from papershelf.data import paths

    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_key_that_is_no_key_is_reported_by_papershelf_config(capsys):
    import tomllib

    write_config('[keys]\nstar = "notakey!!"\ntag = "ctrl+t"\n')
    code, out, err = run(capsys, "config")
    assert code == 0
    assert "keys.star: 'notakey!!' is not a key name" in err
    assert "using the default" in err
    assert tomllib.loads(out)["keys"] == {"tag": "ctrl+t"}


async def test_a_key_that_is_no_key_is_named_in_the_readers_notice(reader_app, tmp_path):
    from papershelf.data.config import load_settings
    from papershelf.tui.app import make_app
    from tests.tui.support import NOW, settle

    write_config('[keys]\nstar = ["s", "notakey!!"]\n')
    settings, problems = load_settings()
    with Library.open(tmp_path / "own.sqlite") as library:
        app = make_app(
            settings=settings,
            config_problems=problems,
            clock=lambda: NOW,
            restore_session=False,
            offline=True,
            library=library,
        )
        async with app.run_test(size=(120, 35), notifications=True) as pilot:
            await settle(app, pilot)
            notices = [str(n.message) for n in app._notifications if n.title == "Settings problems"]
            assert len(notices) == 1
            assert "keys.star: 'notakey!!' is not a key name" in notices[0]
            assert "star" not in app.keymap  # the default `s` stays


@pytest.mark.parametrize("name", ["notakey!!", "ctrl+", "ctrl+ctrl+s", "hyper+f25", "a b", ""])
def test_key_names_no_key_has_are_refused(name):
    from papershelf.core.key_names import is_key_name

    assert not is_key_name(name)


def test_every_default_key_is_a_key_name():
    from papershelf.core.key_names import is_key_name
    from papershelf.core.keymap import KEYS

    for spec in KEYS:
        for key in spec.keys.split(","):
            assert is_key_name(key), key
    for key in ("U", "ctrl+s", "f5", "pagedown", "question_mark", "less_than_sign", "+", "é"):
        assert is_key_name(key), key


@pytest.mark.parametrize("option", ["--date", "--week", "--month", "--tag"])
def test_an_empty_list_option_is_an_error_not_the_latest_list(capsys, option):
    code, out, err = run(capsys, "list", option, "", "--offline")
    assert code == 2 and out == ""
    assert f"papershelf: error: {option} needs a value" in err
    assert "Traceback" not in err


def test_export_with_an_empty_tag_is_an_error_not_the_starred_papers(capsys, starred, tmp_path):
    target = tmp_path / "refs.bib"
    code, _, err = run(capsys, "export", str(target), "--tag", "")
    assert code == 2 and "--tag needs a value" in err
    assert not target.exists()


def test_a_long_author_name_is_cut_and_the_title_column_kept(capsys, monkeypatch):
    author = "Maximiliane Vanderbilt-" + "Abcdefghijklmnopqrs" * 2
    assert len(author) == 61
    title = "Scaling Laws for Hostile Inputs in Terminal Readers"
    with Library.open() as library:
        library.star([Paper(id="2601.00002", title=title, authors=(Author(author),))])
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run(capsys, "list", "--starred")
    assert code == 0, err
    lines = out.splitlines()
    assert "title" in lines[0] and "first author" in lines[0]
    assert "Scaling Laws" in out and "Terminal Readers" in out
    assert author not in out and "…" in out
    assert max(len(line) for line in lines) <= 80


def test_a_console_browser_is_never_started_inside_the_reader(monkeypatch):
    """Without $BROWSER, a console browser found by `webbrowser` would take over the terminal."""
    import webbrowser

    from papershelf.tui.browser import launch_browser

    started: list[str] = []
    console = webbrowser.GenericBrowser("lynx")
    monkeypatch.setattr(console, "open", lambda *args, **kwargs: started.append("lynx"))
    monkeypatch.setattr(webbrowser, "get", lambda using=None: console)
    problem = launch_browser("https://example.org/", {})
    assert problem is not None and "console browser 'lynx'" in problem
    assert started == []
    graphical = webbrowser.BackgroundBrowser("xdg-open")
    monkeypatch.setattr(graphical, "open", lambda url, *args, **kwargs: started.append(url) or True)
    monkeypatch.setattr(webbrowser, "get", lambda using=None: graphical)
    assert launch_browser("https://example.org/", {}) is None
    assert started == ["https://example.org/"]


async def test_dash_in_the_export_dialog_is_refused(capsys):
    """`-` in the reader's export dialog would write over the reader's own screen."""
    from textual.app import App
    from textual.widgets import Input, Label

    from papershelf.tui.dialogs.export import ExportScreen

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ExportScreen({"starred": 2, "selection": 0, "filter": 3}))

    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        screen.query_one("#export-path", Input).value = "-"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen  # still open
        error = str(screen.query_one("#export-error", Label).render())
        assert "'-' (standard output) works on the command line only" in error
    assert capsys.readouterr().out == ""
