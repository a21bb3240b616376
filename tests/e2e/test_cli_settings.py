"""`papershelf config` and the front door's one-time report of config problems."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tomllib

import pytest

from papershelf.cli import main
from papershelf.data import paths
from papershelf.data.config.schema import Settings


def write_config(text: str) -> None:
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_config_prints_effective_settings_as_toml(capsys, monkeypatch):
    """stdout is `key = value` lines (valid TOML); stderr names the file they came from."""
    monkeypatch.delenv("HF_ENDPOINT")
    write_config('theme = "nord"\n[keys]\nstar = ["s", "ctrl+t"]\n')
    assert main(["config"]) == 0
    out, err = capsys.readouterr()
    printed = tomllib.loads(out)
    assert printed["theme"] == "nord"
    assert printed["keys"] == {"star": "s,ctrl+t"}
    assert printed["hf_endpoint"] == Settings().hf_endpoint
    assert "default_view" not in printed  # unset: shown as a comment
    assert str(paths.config_file()) in err
    assert "warning" not in err


def test_config_marks_environment_overrides_and_never_prints_the_token(capsys, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:4567")
    monkeypatch.setenv("HF_TOKEN", "hf_topsecret")
    monkeypatch.setenv("PAPERSHELF_REQUEST_DEADLINE", "5")
    assert main(["config"]) == 0
    out, _err = capsys.readouterr()
    assert 'hf_endpoint = "http://127.0.0.1:4567"  # from HF_ENDPOINT' in out
    assert "request_deadline = 5.0  # from PAPERSHELF_REQUEST_DEADLINE" in out
    assert "max_response_mb = 8  #" not in out
    assert "hf_topsecret" not in out
    assert "# hf_token: set from HF_TOKEN" in out


def test_config_path_prints_the_file(capsys):
    assert main(["config", "--path"]) == 0
    assert capsys.readouterr().out == f"{paths.config_file()}\n"


def test_config_default_prints_the_commented_default(capsys):
    from papershelf.data.config.file import default_config_text

    assert main(["config", "--default"]) == 0
    assert capsys.readouterr().out == default_config_text()


def test_first_command_writes_the_default_file(capsys):
    """Any command creates the commented config on first run."""
    assert not paths.config_file().exists()
    main(["config", "--path"])
    assert paths.config_file().is_file()


def test_problems_are_reported_once_and_the_command_still_runs(capsys):
    """A broken config prints each problem once on stderr; the command succeeds."""
    write_config('theme = 3\nfoo = "bar"\n')
    assert main(["config"]) == 0
    out, err = capsys.readouterr()
    warnings = [line for line in err.splitlines() if line.startswith("papershelf: warning:")]
    assert len(warnings) == 2
    assert f"{paths.config_file()}: theme: must be text" in warnings[0]
    assert "unknown setting 'foo'" in warnings[1]
    assert 'theme = "textual-dark"' in out


def test_syntax_error_does_not_stop_the_command(capsys):
    write_config("theme = \n")
    assert main(["config", "--path"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == str(paths.config_file())
    [warning] = err.splitlines()
    assert "is not valid TOML" in warning and "line 1" in warning


def test_edit_opens_the_editor_on_the_file_and_checks_the_result(capsys, monkeypatch, tmp_path):
    """`--edit` runs $EDITOR with the path, then reports problems the edit introduced."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, sys\npath = pathlib.Path(sys.argv[1])\n"
        "path.write_text('bogus = 1\\n' + path.read_text('utf-8'), 'utf-8')\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")
    monkeypatch.delenv("VISUAL", raising=False)
    assert main(["config", "--edit"]) == 0
    text = paths.config_file().read_text(encoding="utf-8")
    assert text.startswith("bogus = 1\n# papershelf settings.")
    assert "unknown setting 'bogus'" in capsys.readouterr().err


def test_edit_without_an_editor_is_a_plain_error(capsys, monkeypatch):
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    assert main(["config", "--edit"]) == 1
    assert "papershelf: error: set VISUAL or EDITOR" in capsys.readouterr().err


@pytest.mark.e2e
def test_installed_entry_point_reports_problems_on_stderr(isolated_home):
    """The real process: bad config -> one warning per problem, exit 0, settings on stdout."""
    write_config("theme = 3\n")
    completed = subprocess.run(
        [sys.executable, "-m", "papershelf", "config"],
        capture_output=True,
        text=True,
        env={**os.environ, "PAPERSHELF_HOME": str(isolated_home)},
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr.count("theme: must be text") == 1
    assert 'theme = "textual-dark"' in completed.stdout


def test_config_reports_unknown_and_clashing_key_bindings(capsys):
    write_config('[keys]\nstarr = "x"\nstar = "j"\ntag = "n"\n')
    assert main(["config"]) == 0
    err = capsys.readouterr().err
    assert "keys.starr: no key binding has the id 'starr'" in err
    assert "keys.star: j is also the key of 'cursor_down'" in err
    assert "keys.tag: n is also the key of 'note'" in err


def test_config_reports_a_date_format_without_a_date(capsys):
    write_config('date_format = "%H:%M"\n')
    assert main(["config"]) == 0
    out, err = capsys.readouterr()
    assert "date_format: shows no date" in err
    assert tomllib.loads(out)["date_format"] == Settings().date_format


def test_config_prints_only_what_is_in_effect_and_lists_the_problems(capsys, monkeypatch):
    """An unknown theme and an unknown binding id are not shown as in effect (the reader
    rejects them); each is reported once on stderr."""
    monkeypatch.delenv("HF_ENDPOINT")
    write_config('theme = "nope"\n[keys]\nnonexistent = "y"\nstar = "x"\n')
    assert main(["config"]) == 0
    out, err = capsys.readouterr()
    printed = tomllib.loads(out)
    assert printed["theme"] == Settings().theme
    assert printed["keys"] == {"star": "x"}
    assert "nope" not in out and "nonexistent" not in out
    assert err.count("theme: there is no theme 'nope'") == 1
    assert err.count("keys.nonexistent: no key binding has the id 'nonexistent'") == 1


def test_config_json_has_settings_keys_and_problems(capsys, monkeypatch):
    import json

    monkeypatch.delenv("HF_ENDPOINT")
    write_config('theme = "nope"\nfoo = 1\n[keys]\nnonexistent = "y"\nstar = "x"\n')
    assert main(["config", "--format", "json"]) == 0
    out, _err = capsys.readouterr()
    record = json.loads(out)
    assert record["settings"]["theme"] == Settings().theme
    assert record["settings"]["columns"] == Settings().columns
    assert record["keys"] == {"star": "x"}
    assert record["config_file"] == str(paths.config_file())
    assert record["hf_token_set"] is False
    problems = {problem["key"] for problem in record["problems"]}
    assert {"theme", "foo", "keys.nonexistent"} <= problems
    assert "hf_token" not in record["settings"]


def test_a_real_theme_is_in_effect(capsys, monkeypatch):
    write_config('theme = "terminal-light"\n')
    assert main(["config"]) == 0
    out, err = capsys.readouterr()
    assert tomllib.loads(out)["theme"] == "terminal-light"
    assert "warning" not in err
