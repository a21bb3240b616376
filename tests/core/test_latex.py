"""LaTeX-to-Unicode for display: islands convert, plain text (money, per cent) never changes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from papershelf.core.latex import to_unicode


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("We use 50% of the data", "We use 50% of the data"),
        (
            "Open-Sora 2.0: Training a Commercial-Level Video Generation Model in\n  $200k",
            "Open-Sora 2.0: Training a Commercial-Level Video Generation Model in\n  $200k",
        ),
        (
            "Fixing 7,400 Bugs for 1$: Cheap Crash-Site Program Repair",
            "Fixing 7,400 Bugs for 1$: Cheap Crash-Site Program Repair",
        ),
        ("costs $5 and $6 in total", "costs $5 and $6 in total"),
    ],
)
def test_plain_text_regressions_are_untouched(source, shown):
    """Per cent signs are not comments and prices are not math."""
    assert to_unicode(source) == shown


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("$\\alpha$-NeRF", "α-NeRF"),
        ("$X^{2}$ test", "X² test"),
        ("a $\\mathcal{O}(n^{2})$ bound", "a 𝒪(n²) bound"),
        ("their \\( O(n^3) \\) time", "their O(n³) time"),
        ("at least \\(9.6\\times\\) fewer", "at least 9.6× fewer"),
        ("${\\sim}$5x faster", "∼5x faster"),
        ("(0.673 \\pm 0.019)", "(0.673 ± 0.019)"),
        ("2.3\\times greater", "2.3× greater"),
        ("$a \\times b$", "a × b"),
        ("half is \\frac{1}{2} here", "half is 1/2 here"),
        ("({\\Delta}G) of", "(ΔG) of"),
    ],
)
def test_math_becomes_unicode(source, shown):
    """Formulas, Greek letters and simple superscripts read as Unicode."""
    assert to_unicode(source) == shown


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("54.6\\% speedup", "54.6% speedup"),
        ("Q\\&A", "Q&A"),
        ("(\\$148K)", "($148K)"),
        ("swantale.github.io/\\#swantale", "swantale.github.io/#swantale"),
        ("SDXL\\_NCP", "SDXL_NCP"),
        ("300\\,k entries", "300 k entries"),
        ("e.g.\\ by", "e.g. by"),
        ("\\~8B models", "~8B models"),
    ],
)
def test_escaped_specials_become_the_character(source, shown):
    """`\\&`, `\\%`, `\\$` and spacing commands show as what they stand for."""
    assert to_unicode(source) == shown


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        (
            "termed \\textbf{backbone-optimizer coupling bias} (BOCB)",
            "termed backbone-optimizer coupling bias (BOCB)",
        ),
        ("we term \\textsc{AIEV-Instruct} (Instruction", "we term AIEV-Instruct (Instruction"),
        ("we name the \\emph{Uni-Instruct}.", "we name the Uni-Instruct."),
        ("introduce \\textit{Gaussian-MAE}, which", "introduce Gaussian-MAE, which"),
        ("\\text{abc}", "abc"),
        ("\\textbf{\\emph{nested}} words", "nested words"),
        (
            "at \\url{https://github.com/bytedance/SALMONN/}.",
            "at https://github.com/bytedance/SALMONN/.",
        ),
        ("{\\it vs.} high-resolution", "vs. high-resolution"),
        ("in 360{\\deg} unbounded", "in 360° unbounded"),
        ("LLaMA\\nobreakdash-3.1", "LLaMA-3.1"),
        ("(\\ie, MOFA-Adapters) and \\etc. However", "(i.e., MOFA-Adapters) and etc. However"),
    ],
)
def test_known_commands_show_their_text(source, shown):
    """Style commands keep their argument; a few well-known words are spelled out."""
    assert to_unicode(source) == shown


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("We introduce Pok\\'eChamp, a minimax agent", "We introduce PokéChamp, a minimax agent"),
        ('model (\\"Ust\\"un et al.,', "model (Üstün et al.,"),
        ('na\\"{\\i}vely running', "naïvely running"),
        ("DeepSeek-R1 vis-\\`a-vis cognitive", "DeepSeek-R1 vis-à-vis cognitive"),
        ("the point query\\'s content", "the point query's content"),
    ],
)
def test_accents_and_escaped_apostrophes(source, shown):
    """Accent commands combine with their letter; `query\\'s` is an apostrophe, not `ś`."""
    assert to_unicode(source) == shown


@pytest.mark.parametrize(
    "source",
    [
        "we introduce \\method, an approach",
        "propose \\ours,\nan approach",
        "we introduce \\GitChameleon{}, a novel",
        "\\color{ddtD}ecoupled",
        "$\\unknownmacro$ stays",
        "\\textbf{unclosed",
        "trailing backslash \\",
        "a lone $ sign",
        "$$",
        "$\\frac{a}$ misses an argument",
        "$\\sqrt$ alone",
    ],
)
def test_unknown_or_broken_latex_is_kept_verbatim(source):
    """Custom macros and unbalanced input are shown as written, never dropped."""
    assert to_unicode(source) == source


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        (
            "TPLA: Tensor Parallel Latent Attention for Efficient Disaggregated\n"
            "  Prefill \\& Decode Inference",
            "TPLA: Tensor Parallel Latent Attention for Efficient Disaggregated\n"
            "  Prefill & Decode Inference",
        ),
        (
            "\\$OneMillion-Bench: How Far are Language Agents from Human Experts?",
            "$OneMillion-Bench: How Far are Language Agents from Human Experts?",
        ),
        (
            "Back to Repair: A Minimal Denoising Network\\ for Time Series Anomaly Detection",
            "Back to Repair: A Minimal Denoising Network for Time Series Anomaly Detection",
        ),
        (
            "Human-Agent Collaborative Paper-to-Page Crafting for Under $0.1",
            "Human-Agent Collaborative Paper-to-Page Crafting for Under $0.1",
        ),
        (
            "DumpsterCluster: From Dumpster Diving to Serving LLaMA-70B on $60 GPUs",
            "DumpsterCluster: From Dumpster Diving to Serving LLaMA-70B on $60 GPUs",
        ),
    ],
)
def test_real_titles(source, shown):
    """Titles from the recorded data that contain a backslash or a dollar sign."""
    assert to_unicode(source) == shown


def _texts(days: dict[str, list]) -> list[str]:
    texts: list[str] = []
    for response in days.values():
        for entry in response:
            paper = entry.get("paper") or {}
            texts.extend(str(paper.get(key) or "") for key in ("title", "summary"))
    return texts


def test_every_recorded_title_and_abstract_converts(shared_days):
    """Over all recorded text: never raises, and text without `\\` or `$` is unchanged."""
    texts = _texts(shared_days)
    assert len(texts) > 1000
    for text in texts:
        shown = to_unicode(text)
        assert isinstance(shown, str)
        if "\\" not in text and "$" not in text:
            assert shown == text


def test_per_cent_signs_survive_in_recorded_abstracts(shared_days):
    """No recorded abstract loses what follows a `%` (the comment trap)."""
    for text in _texts(shared_days):
        if "%" in text and "\\" not in text:
            assert to_unicode(text) == text
        if "%" in text:
            assert to_unicode(text).count("%") == text.count("%")


def test_bundled_sample_converts(sample_days):
    """The sample shown on first run converts without errors."""
    for text in _texts(sample_days):
        assert isinstance(to_unicode(text), str)


_LATEX_PIECES = st.sampled_from(
    [
        *"ab $\\{}^_%&'\"`~(),.α1\n",
        "\\alpha",
        "\\textbf",
        "\\(",
        "\\)",
        "\\href",
        "\\url",
        "\\b",
        "\\eg",
        "\\method",
        "{\\it ",
        "\\frac",
        "\\footnote",
        "\\'",
        "^{2}",
        "\\i",
    ]
)


@given(st.lists(_LATEX_PIECES, max_size=30).map("".join) | st.text())
def test_arbitrary_text_never_raises(text):
    """Any input gives a string; without `\\` and `$` it is returned unchanged."""
    shown = to_unicode(text)
    assert isinstance(shown, str)
    if "\\" not in text and "$" not in text:
        assert shown == text


@pytest.mark.parametrize("source", ["\\frac and \\url alone", "$\\frac$", "\\href{x}"])
def test_odd_input_prints_no_library_warnings(source, capfd):
    """pylatexenc's diagnostics never reach the terminal (they would garble the reader)."""
    assert to_unicode(source) == source
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""
