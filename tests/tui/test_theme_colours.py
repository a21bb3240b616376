"""Colours in every theme: the cursor row is one band, and every text reads at WCAG AA (4.5:1)."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from textual.color import Color
from textual.theme import BUILTIN_THEMES

from papershelf.core.contrast import AA, contrast_ratio, readable
from papershelf.data.config.schema import Settings
from papershelf.tui.app import PapershelfApp, make_app
from papershelf.tui.contrast import readable_variables
from papershelf.tui.themes import papershelf_themes
from papershelf.tui.widgets.paper_list import PaperList
from tests.tui.support import NOW, settle, until

ALL_THEMES = {**BUILTIN_THEMES, **{theme.name: theme for theme in papershelf_themes()}}
RGB_THEMES = sorted(name for name, theme in ALL_THEMES.items() if not theme.ansi)
"""ANSI themes draw with the terminal's palette, whose colours no program can know."""


def themed(theme: str) -> PapershelfApp:
    app = make_app(
        settings=Settings(theme=theme), offline=True, restore_session=False, clock=lambda: NOW
    )
    app.services.filter_debounce = 0
    app.services.detail_debounce = 0
    return app


def colours(segment: Segment) -> tuple[Color, Color]:
    style = segment.style
    assert style is not None and style.color is not None and style.bgcolor is not None, (
        f"{segment.text!r} is drawn in the terminal's default colours: {style}"
    )
    foreground = Color.from_rich_color(style.color)
    background = Color.from_rich_color(style.bgcolor)
    return (background, foreground) if style.reverse else (foreground, background)


def is_text(text: str) -> bool:
    # Box-drawing and block characters are borders and scrollbars, not text to read.
    return any(not char.isspace() and not 0x2500 <= ord(char) <= 0x259F for char in text)


def low_contrast(app: PapershelfApp) -> list[str]:
    problems = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        for segment in strip:
            if not is_text(segment.text):
                continue
            foreground, background = colours(segment)
            ratio = contrast_ratio(foreground.rgb, background.rgb)
            if ratio < AA:
                problems.append(
                    f"row {y} {segment.text.strip()[:20]!r}: {ratio:.2f} "
                    f"({foreground.hex} on {background.hex})"
                )
    return problems


def cursor_row(paper_list: PaperList) -> list[Segment]:
    return list(paper_list.render_line(paper_list.cursor - paper_list.scroll_offset.y))


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_every_cell_of_the_cursor_row_takes_the_cursor_colours(theme):
    """Upvotes, title, author and markers of the highlighted row share one background and read."""
    app = themed(theme)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        paper_list = app.screen.query_one(PaperList)
        for focused in (True, False):
            if not focused:
                app.screen.query_one("#paper-detail").focus()
                await pilot.pause()
            cursor = paper_list.get_component_rich_style("paper-list--cursor")
            segments = cursor_row(paper_list)
            texts = "".join(segment.text for segment in segments)
            assert paper_list.highlighted_paper.title[:20] in texts
            for segment in segments:
                foreground, background = colours(segment)
                assert background == Color.from_rich_color(cursor.bgcolor), segment
                if is_text(segment.text):
                    assert contrast_ratio(foreground.rgb, background.rgb) >= AA, segment
            other = list(paper_list.render_line(paper_list.cursor - paper_list.scroll_offset.y + 1))
            for segment in other:
                assert colours(segment)[1] != Color.from_rich_color(cursor.bgcolor), segment


async def test_every_text_on_the_main_screen_reads_at_aa_in_every_theme():
    """Each shipped theme: list (cursor, filter matches, markers, empty), detail, status, footer.

    One app switches through the themes (a new app per theme costs seconds each).
    """
    app = themed("textual-dark")
    problems: dict[str, list[str]] = {}
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"agent")
        await until(pilot, lambda: app.screen.query_one(PaperList).highlight_terms)
        await pilot.press("enter")
        await pilot.pause()
        states = [
            "list focused, filter matches highlighted",
            "detail focused",
            "filter error",
            "nothing matches",
        ]
        for state in states:
            if state == "detail focused":
                app.screen.query_one("#paper-detail").focus()
            elif state == "filter error":
                await pilot.press("slash", *" foo:")
            elif state == "nothing matches":
                await pilot.press(*["backspace"] * 5, *"zzqx", "enter")
                await until(pilot, lambda: not app.screen.query_one(PaperList).papers)
            for theme in RGB_THEMES:
                app.theme = theme
                await pilot.pause()
                found = low_contrast(app)
                if found:
                    problems[f"{theme}, {state}"] = found
    assert problems == {}


@pytest.mark.parametrize("theme", RGB_THEMES)
def test_readable_variables_reach_aa_on_their_backgrounds(theme):
    """The `$readable-*`, `$status-*` and `$footer-*` colours, computed from the theme alone."""
    definition = ALL_THEMES[theme]
    variables = {**definition.to_color_system().generate(), **definition.variables}
    computed = readable_variables(variables)
    for prefix, grounds in (
        ("readable-", ("background", "surface", "panel")),
        ("status-", ("primary-background",)),
        ("footer-", ("footer-background",)),
    ):
        for ground in grounds:
            background = Color.parse(variables[ground])
            if background.a < 1:
                continue  # translucent bands are covered by the rendered-screen test
            for name, value in computed.items():
                if name.startswith(prefix):
                    ratio = contrast_ratio(Color.parse(value).rgb, background.rgb)
                    assert ratio >= AA, f"{name} {value} on {ground} {background.hex}: {ratio:.2f}"
    for name in ("list-cursor", "list-cursor-blurred", "list-highlight"):
        text = Color.parse(computed[f"{name}-foreground"]).rgb
        ground = Color.parse(computed[f"{name}-background"]).rgb
        assert contrast_ratio(text, ground) >= AA, name


def test_contrast_ratio_matches_wcag():
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert contrast_ratio((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, 0.01)


def test_readable_keeps_a_colour_that_already_reads_and_fixes_one_that_does_not():
    near_black = (30, 30, 30)
    assert readable((255, 255, 255), [near_black]) == (255, 255, 255)
    dark_blue = (0, 69, 120)
    fixed = readable(dark_blue, [near_black])
    assert contrast_ratio(fixed, near_black) >= AA
    assert fixed[2] > fixed[0]  # still blue, only lighter


def test_light_text_stays_light_on_a_cursor_where_white_still_reads():
    from papershelf.core.contrast import best_text

    assert best_text((224, 224, 224), (1, 120, 212)) == (255, 255, 255)
    assert best_text((31, 31, 31), (0, 69, 120)) == (255, 255, 255)
    assert best_text((31, 31, 31), (250, 250, 250)) == (31, 31, 31)
