"""Settings from config.toml: defaults, validation with plain-word problems, env overrides."""

from __future__ import annotations

import io
import subprocess
import sys
import tomllib

import pytest

from papershelf.data import paths
from papershelf.data.config import (
    ConfigProblem,
    binding_problems,
    load_settings,
    report_problems,
    unknown_binding_problems,
)
from papershelf.data.config.file import default_config_text, save_setting
from papershelf.data.config.schema import Settings


@pytest.fixture
def config_path():
    return paths.config_file()


def write_config(text: str):
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def no_endpoint_env(monkeypatch):
    monkeypatch.delenv("HF_ENDPOINT", raising=False)


def test_first_run_writes_the_commented_default(config_path, no_endpoint_env):
    """A missing file is created; it changes nothing and produces no problems."""
    settings, problems = load_settings()
    assert config_path.read_text(encoding="utf-8") == default_config_text()
    assert problems == []
    assert settings == Settings()
    again, problems_again = load_settings()
    assert again == Settings() and problems_again == []


def test_write_default_false_leaves_no_file(config_path):
    """Callers that only peek do not create the file."""
    load_settings(write_default=False)
    assert not config_path.exists()


def test_default_text_is_valid_toml_with_every_setting_mentioned():
    """Every setting appears (commented) in the default file, so users can discover them."""
    text = default_config_text()
    assert tomllib.loads(text) == {"keys": {}}
    for name in (
        "default_view",
        "theme",
        "clipboard",
        "clipboard_command",
        "fresh_latest_minutes",
        "fresh_past_hours",
        "fresh_paper_days",
        "fresh_search_minutes",
        "hf_endpoint",
        "columns",
        "render_latex",
        "date_format",
        "read_after_seconds",
    ):
        assert f"# {name} = " in text


def test_default_text_names_the_registrys_reader_ids():
    """The `[keys]` comment lists every id the help screen shows for the reader, each a real
    registry id (so a binding added to `core.keymap` shows up without a second list)."""
    from papershelf.core.keymap import ALL_IDS, KEYS, MAIN_SCOPES

    text = default_config_text()
    comment = text.split("The reader's ids:\n", 1)[1].split(".\n", 1)[0]
    named = [word.strip() for word in comment.replace("#", " ").replace("\n", " ").split(",")]
    assert set(named) <= ALL_IDS
    reader_ids = [s.id for s in KEYS if s.scope in MAIN_SCOPES and s.section is not None]
    assert named == reader_ids
    assert {"star", "copy_menu", "quit", "triage"} <= set(named)


def test_valid_file_is_applied(no_endpoint_env):
    """Every setting a file may hold is read."""
    write_config(
        """
default_view = "week"
theme = "nord"
clipboard = "command"
clipboard_command = "wl-copy"
fresh_latest_minutes = 5
fresh_past_hours = 48
fresh_paper_days = 1.5
fresh_search_minutes = 0
hf_endpoint = "http://127.0.0.1:8000/"
columns = ["title", "upvotes"]
render_latex = false
date_format = "%d.%m.%Y"
read_after_seconds = 0

[keys]
star = "s"
open_pdf = ["p", "ctrl+p"]
copy_bibtex = "b, B"
"""
    )
    settings, problems = load_settings()
    assert problems == []
    assert settings.default_view == "week"
    assert settings.theme == "nord"
    assert settings.clipboard == "command"
    assert settings.clipboard_command == "wl-copy"
    assert settings.fresh_latest_minutes == 5
    assert settings.fresh_past_hours == 48
    assert settings.fresh_paper_days == 1.5
    assert settings.fresh_search_minutes == 0
    assert settings.hf_endpoint == "http://127.0.0.1:8000"
    assert settings.columns == ["title", "upvotes"]
    assert settings.render_latex is False
    assert settings.date_format == "%d.%m.%Y"
    assert settings.read_after_seconds == 0
    assert settings.keymap() == {"star": "s", "open_pdf": "p,ctrl+p", "copy_bibtex": "b,B"}


@pytest.mark.parametrize("value", ['"last"', '""'])
def test_default_view_last_means_restore_the_session(value):
    """`default_view = "last"` is the explicit form of leaving it out."""
    write_config(f"default_view = {value}\n")
    settings, problems = load_settings()
    assert settings.default_view is None and problems == []


def test_syntax_error_names_file_and_line_and_uses_all_defaults(config_path, no_endpoint_env):
    """Broken TOML is one problem (with the line) and every setting keeps its default."""
    write_config('theme = "nord"\nrender_latex = \n')
    settings, problems = load_settings()
    assert settings == Settings()
    [problem] = problems
    assert problem.file == config_path
    assert problem.key == ""
    assert "not valid TOML" in problem.why and "line 2" in problem.why
    assert str(problem).startswith(str(config_path))


def test_bad_entries_are_reported_and_the_rest_is_kept(config_path):
    """Each wrong key or value is one problem; good entries next to it still apply."""
    write_config(
        """
theme = 3
foo = 1
default_view = "weekly"
clipboard = "osc53"
fresh_past_hours = -1
fresh_latest_minutes = true
hf_endpoint = "huggingface.co"
columns = ["title", "nope"]
render_latex = "yes"
date_format = ""
read_after_seconds = 2
hf_token = "hf_secret"

[keys]
star = ["s", 1]
tag = ""
note = "n"

[colors]
accent = "red"
"""
    )
    settings, problems = load_settings()
    by_key = {problem.key: problem for problem in problems}
    assert set(by_key) == {
        "theme",
        "foo",
        "default_view",
        "clipboard",
        "fresh_past_hours",
        "fresh_latest_minutes",
        "hf_endpoint",
        "columns",
        "render_latex",
        "date_format",
        "hf_token",
        "keys.star",
        "keys.tag",
        "colors",
    }
    assert all(problem.file == config_path for problem in problems)
    assert by_key["foo"].why.startswith("unknown setting 'foo'")
    assert "must be text" in by_key["theme"].why
    assert "HF_TOKEN" in by_key["hf_token"].why
    assert settings.hf_token is None  # never from the file
    defaults = Settings()
    assert settings.theme == defaults.theme
    assert settings.default_view is None
    assert settings.clipboard == defaults.clipboard
    assert settings.fresh_past_hours == defaults.fresh_past_hours
    assert settings.columns == defaults.columns
    assert settings.render_latex is True
    assert settings.read_after_seconds == 2  # the good entry still applies
    assert settings.keymap() == {"note": "n"}


def test_keys_must_be_a_table():
    """`keys = "x"` is reported; the default keys are used."""
    write_config('keys = "s"\n')
    settings, [problem] = load_settings()
    assert problem.key == "keys" and settings.keys == {}


def test_unreadable_file_is_a_problem_not_a_crash(config_path):
    """A config path that is a directory (or unreadable) yields defaults and one problem."""
    config_path.mkdir(parents=True)
    settings, [problem] = load_settings()
    assert settings.theme == Settings().theme
    assert "cannot be read" in problem.why


def test_non_utf8_file_is_a_problem(config_path):
    config_path.parent.mkdir(parents=True)
    config_path.write_bytes(b'theme = "\xff"\n')
    _settings, [problem] = load_settings()
    assert "UTF-8" in problem.why


def test_environment_overrides_the_file(monkeypatch):
    """HF_ENDPOINT beats the file; HF_TOKEN is the only source of the token."""
    write_config('hf_endpoint = "https://file.example"\n')
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:4567/")
    monkeypatch.setenv("HF_TOKEN", " hf_abc ")
    settings, problems = load_settings()
    assert problems == []
    assert settings.hf_endpoint == "http://127.0.0.1:4567"
    assert settings.hf_token == "hf_abc"


def test_bad_environment_endpoint_is_reported_not_replaced(monkeypatch):
    """An unusable HF_ENDPOINT is reported and kept (the network refuses it), never swapped for
    huggingface.co behind the user's back."""
    monkeypatch.setenv("HF_ENDPOINT", "not a url")
    settings, [problem] = load_settings()
    assert settings.hf_endpoint == "not a url"
    assert "HF_ENDPOINT" in str(problem) and "will not use it" in str(problem)


def test_network_limits_from_file_and_environment(monkeypatch, tmp_path):
    """`request_deadline` and `max_response_mb`: defaults, the file, then the environment."""
    config = tmp_path / "config.toml"
    assert load_settings(config, write_default=False)[0].request_deadline == 20
    config.write_text("request_deadline = 5\nmax_response_mb = 2\n")
    settings, problems = load_settings(config)
    assert (settings.request_deadline, settings.max_response_mb, problems) == (5, 2, [])
    monkeypatch.setenv("PAPERSHELF_REQUEST_DEADLINE", "1.5")
    monkeypatch.setenv("PAPERSHELF_MAX_RESPONSE_MB", "zero")
    settings, [problem] = load_settings(config)
    assert settings.request_deadline == 1.5 and settings.max_response_mb == 2
    assert "PAPERSHELF_MAX_RESPONSE_MB" in str(problem)
    monkeypatch.delenv("PAPERSHELF_MAX_RESPONSE_MB")
    config.write_text("request_deadline = -1\n")
    settings, [problem] = load_settings(config)
    assert "request_deadline" in str(problem)


def test_papershelf_home_relocates_the_file(isolated_home):
    """The config file lives under PAPERSHELF_HOME/config."""
    load_settings()
    assert (isolated_home / "config" / "config.toml").is_file()


def test_problem_text_and_report():
    """Problems print as one plain line each: file, key, why."""
    problems = [
        ConfigProblem(paths.config_file(), "theme", "must be text"),
        ConfigProblem(paths.config_file(), "", "is not valid TOML"),
    ]
    assert str(problems[0]) == f"{paths.config_file()}: theme: must be text"
    stream = io.StringIO()
    report_problems(problems, stream=stream)
    assert stream.getvalue().splitlines() == [
        f"papershelf: warning: {paths.config_file()}: theme: must be text",
        f"papershelf: warning: {paths.config_file()}: is not valid TOML",
    ]


def test_unknown_binding_ids_are_reported_by_the_hook(config_path):
    """The reader filters `[keys]` against its binding ids; the rest become problems."""
    settings = Settings(keys={"star": "s", "starr": "x"})
    keymap, [problem] = unknown_binding_problems(settings, ["star", "quit"])
    assert keymap == {"star": "s"}
    assert problem.key == "keys.starr" and problem.file == config_path


def test_freshness_for_the_data_layer():
    """Settings.freshness() carries the four times to the feeds."""
    from papershelf.data import feeds

    settings = Settings(
        fresh_latest_minutes=1, fresh_past_hours=2, fresh_paper_days=3, fresh_search_minutes=4
    )
    assert settings.freshness() == feeds.Freshness(
        latest_minutes=1, past_hours=2, paper_days=3, search_minutes=4
    )


class TestSaveSetting:
    """Persisting one setting (the chosen theme) keeps the user's comments."""

    def test_replaces_the_commented_default_line(self, config_path):
        load_settings()
        save_setting("theme", "nord")
        text = config_path.read_text(encoding="utf-8")
        assert 'theme = "nord"' in text
        assert "# theme =" not in text
        assert "# papershelf settings." in text
        settings, problems = load_settings()
        assert settings.theme == "nord" and problems == []

    def test_replaces_an_active_line_and_keeps_comments(self, config_path):
        write_config(
            '# my theme\ntheme = "nord"  # dark\nrender_latex = false\n\n[keys]\nstar = "s"\n'
        )
        save_setting("theme", 'gruvbox "x"')
        assert config_path.read_text(encoding="utf-8") == (
            '# my theme\ntheme = "gruvbox \\"x\\""  # dark\nrender_latex = false\n\n[keys]\n'
            'star = "s"\n'
        )
        settings, problems = load_settings()
        assert settings.theme == 'gruvbox "x"' and settings.keys == {"star": "s"}
        assert problems == []

    def test_adds_the_line_before_the_first_table(self, config_path):
        write_config('[keys]\ntheme = "x"\n')
        save_setting("theme", "nord")
        settings, problems = load_settings()
        assert problems == []
        assert settings.theme == "nord" and settings.keys == {"theme": "x"}

    def test_replaces_a_multi_line_array(self, config_path):
        write_config('columns = [\n  "title",\n  "upvotes",\n]\ntheme = "nord"\n')
        save_setting("columns", ["title"])
        settings, problems = load_settings()
        assert problems == []
        assert settings.columns == ["title"] and settings.theme == "nord"

    def test_a_quoted_key_is_replaced_not_duplicated(self, config_path):
        write_config('"theme" = "nord"\n')
        save_setting("theme", "dracula")
        text = config_path.read_text(encoding="utf-8")
        assert text == '"theme" = "dracula"\n'
        settings, problems = load_settings()
        assert settings.theme == "dracula" and problems == []

    def test_a_multi_line_string_holding_a_bracket_stays_intact(self, config_path):
        original = 'clipboard_command = """\nwl-copy\n[not a table]\n"""\n\n[keys]\nstar = "s"\n'
        write_config(original)
        save_setting("theme", "nord")
        text = config_path.read_text(encoding="utf-8")
        assert 'clipboard_command = """\nwl-copy\n[not a table]\n"""' in text
        parsed = tomllib.loads(text)
        assert parsed["theme"] == "nord" and parsed["keys"] == {"star": "s"}
        assert parsed["clipboard_command"] == "wl-copy\n[not a table]\n"

    def test_an_inline_comment_is_kept(self, config_path):
        write_config('theme = "nord"  # my favourite\nrender_latex = false  # off\n')
        save_setting("theme", "gruvbox")
        assert config_path.read_text(encoding="utf-8") == (
            'theme = "gruvbox"  # my favourite\nrender_latex = false  # off\n'
        )

    def test_a_file_that_is_not_toml_is_left_alone(self, config_path):
        write_config('theme = "nord\n')
        with pytest.raises(ValueError, match="not valid TOML"):
            save_setting("theme", "gruvbox")
        assert config_path.read_text(encoding="utf-8") == 'theme = "nord\n'

    def test_the_toml_writer_is_imported_only_when_saving(self):
        code = (
            "import sys\n"
            "from papershelf.data.config import load_settings\n"
            "load_settings()\n"
            "assert 'tomlkit' not in sys.modules\n"
        )
        completed = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        assert completed.returncode == 0, completed.stderr

    def test_creates_the_file_when_missing(self, config_path):
        save_setting("render_latex", False)
        settings, problems = load_settings()
        assert settings.render_latex is False and problems == []
        assert "# papershelf settings." in config_path.read_text(encoding="utf-8")

    def test_refuses_unknown_keys_and_bad_values(self):
        with pytest.raises(ValueError, match="unknown setting"):
            save_setting("nope", 1)
        with pytest.raises(ValueError, match="theme"):
            save_setting("theme", 3)

    def test_leaves_no_temporary_files(self, config_path):
        load_settings()
        save_setting("theme", "nord")
        assert [p.name for p in config_path.parent.iterdir()] == ["config.toml"]


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("%H:%M", "shows no date"),
        ("today", "shows no date"),
        ("50% %Y", "stray %"),
        ("%Y-%m-%", "stray %"),
        ("%Q %d", "stray %"),
    ],
)
def test_date_format_must_show_a_date_and_have_no_stray_percent(value, why):
    write_config(f'date_format = "{value}"\n')
    settings, [problem] = load_settings()
    assert problem.key == "date_format" and why in problem.why
    assert settings.date_format == Settings().date_format


@pytest.mark.parametrize("value", ["%d.%m.%Y", "%-d %b %Y", "%Y %% done", "%a %x"])
def test_good_date_formats_are_kept(value):
    write_config(f'date_format = "{value}"\n')
    settings, problems = load_settings()
    assert problems == [] and settings.date_format == value


def test_binding_problems_name_unknown_ids_and_clashes(config_path):
    settings = Settings(keys={"starr": "x", "star": "j", "quit": "Q", "detail_down": "n"})
    problems = {problem.key: problem.why for problem in binding_problems(settings)}
    assert "no key binding has the id 'starr'" in problems["keys.starr"]
    assert "'cursor_down'" in problems["keys.star"]  # the list's j would shadow it
    assert "'note'" in problems["keys.detail_down"]
    assert "keys.quit" not in problems
    assert all(problem.file == config_path for problem in binding_problems(settings))


def test_default_bindings_report_no_clash():
    assert binding_problems(Settings()) == []
    # Keys shared on purpose in different places are no clash either.
    assert binding_problems(Settings(keys={"export_cancel": "escape", "cursor_down": "j"})) == []


def test_reader_screen_keys_can_be_remapped_and_clash_only_within_their_screen():
    assert binding_problems(Settings(keys={"reader_outline": "O"})) == []
    settings = Settings(keys={"reader_down": "t", "linked_sort": "r"})
    problems = {problem.key: problem.why for problem in binding_problems(settings)}
    # The text view's keys meet the reader screen's; the linked list's meet the shared ones.
    assert "'reader_outline'" in problems["keys.reader_down"]
    assert "'extras_refresh'" in problems["keys.linked_sort"]
    # The main screen's `t` (tag) is never active inside the reader.
    assert "'tag'" not in problems["keys.reader_down"]
