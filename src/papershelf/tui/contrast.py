"""Readable colours for every theme: WCAG contrast and the `$readable-*` CSS variables.

A theme's accent colours are chosen to look good as accents, not to be read as text on its own
backgrounds (`textual-dark`'s `$secondary` on `$surface` is 1.7:1). Widgets colour text with
`$readable-<role>` instead: the theme's colour, lightened or darkened only as far as it takes
to reach WCAG AA (4.5:1) on every background papershelf draws text on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.color import Color

AA = 4.5
"""WCAG 2 level AA for normal text."""

TEXT_BACKGROUNDS = ("background", "surface", "panel")
"""Theme variables papershelf draws most text on: `$readable-<role>` reads on each of them."""

BAND_BACKGROUNDS = {"status": "primary-background", "footer": "footer-background"}
"""Bands whose background may differ from the rest (dark blue in light themes, mid blue in
solarized): `$status-<role>` and `$footer-<role>` read on them."""

ROLES = (
    "foreground",
    "text-muted",
    "accent",
    "primary",
    "secondary",
    "warning",
    "success",
    "error",
    "text-primary",
    "text-accent",
    "text-warning",
    "text-success",
    "text-error",
    "footer-key-foreground",
    "footer-description-foreground",
)
"""Theme colours widgets use for text, each offered as `$readable-<role>`."""


def relative_luminance(color: Color) -> float:
    """WCAG 2 relative luminance of an opaque colour (0 black … 1 white)."""

    def channel(value: int) -> float:
        scaled = value / 255
        return scaled / 12.92 if scaled <= 0.04045 else ((scaled + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast_ratio(first: Color, second: Color) -> float:
    """WCAG 2 contrast ratio of two opaque colours, from 1 (same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def resolve(value: str, background: Color) -> Color:
    """A theme variable's value as the opaque colour it shows on `background`.

    Handles `#rrggbbaa`, `auto 60%` (Textual's contrasting text) and `transparent`.
    """
    text = value.strip()
    if text.startswith("auto"):
        alpha = 1.0
        rest = text[4:].strip()
        if rest.endswith("%"):
            alpha = float(rest[:-1]) / 100
        return background.blend(background.get_contrast_text(1.0), alpha)
    parts = text.split()
    color = Color.parse(parts[0])
    if len(parts) > 1 and parts[1].endswith("%"):
        color = color.multiply_alpha(float(parts[1][:-1]) / 100)
    return background.blend(color.with_alpha(1.0), color.a)


def readable(color: Color, backgrounds: Iterable[Color], minimum: float = AA) -> Color:
    """`color` moved toward white or black just far enough to reach `minimum` on each background.

    When no shade of the hue can do it on all of them (backgrounds both light and dark), the
    shade with the best worst-case ratio is returned.
    """
    grounds = list(backgrounds)

    def worst(candidate: Color) -> float:
        return min(contrast_ratio(candidate, ground) for ground in grounds)

    if worst(color) >= minimum:
        return color
    best, best_score = color, worst(color)
    for target in (Color(255, 255, 255), Color(0, 0, 0)):
        for step in range(1, 21):
            candidate = color.blend(target, step / 20)
            score = worst(candidate)
            if score >= minimum:
                if score > best_score or best_score < minimum:
                    best, best_score = candidate, score
                break
            if score > best_score:
                best, best_score = candidate, score
    return best


def readable_variables(variables: Mapping[str, str]) -> dict[str, str]:
    """The `$readable-<role>`, `$status-<role>`, `$footer-<role>` and `$list-*` colours of a theme.

    `variables` are the theme's resolved CSS variables.

    ANSI themes (colours named `ansi_…`) use the terminal's palette, which papershelf cannot
    know; there the variables fall back to the theme's own colours unchanged.
    """
    if any(str(variables.get(name, "")).startswith("ansi") for name in TEXT_BACKGROUNDS[:2]):
        return _ansi_fallback(variables)
    base = Color.parse(variables["background"])
    grounds = [resolve(variables[name], base) for name in TEXT_BACKGROUNDS if name in variables]
    surface = resolve(variables["surface"], base)
    bands = {
        prefix: resolve(variables.get(name, variables["panel"]), base)
        for prefix, name in BAND_BACKGROUNDS.items()
    }
    result: dict[str, str] = {}
    for role in ROLES:
        if role in variables:
            color = resolve(variables[role], surface)
            result[f"readable-{role}"] = readable(color, grounds).hex
            for prefix, band in bands.items():
                result[f"{prefix}-{role}"] = readable(color, [band]).hex
    foreground = resolve(variables["foreground"], surface)
    cursor = resolve(variables["block-cursor-background"], surface)
    blurred = surface.blend(cursor, 0.35)
    result["list-cursor-background"] = cursor.hex
    result["list-cursor-foreground"] = _best_text(foreground, cursor).hex
    result["list-cursor-blurred-background"] = blurred.hex
    result["list-cursor-blurred-foreground"] = _best_text(foreground, blurred).hex
    highlight = surface.blend(resolve(variables["warning"], surface), 0.35)
    result["list-highlight-background"] = highlight.hex
    result["list-highlight-foreground"] = _best_text(foreground, highlight).hex
    return result


def _best_text(foreground: Color, background: Color) -> Color:
    # The theme's own text colour when it reads; otherwise black or white, whichever reads best.
    if contrast_ratio(foreground, background) >= AA:
        return foreground
    white, black = Color(255, 255, 255), Color(0, 0, 0)
    return max((white, black), key=lambda candidate: contrast_ratio(candidate, background))


def _ansi_fallback(variables: Mapping[str, str]) -> dict[str, str]:
    result = {f"readable-{role}": variables[role] for role in ROLES if role in variables}
    for prefix in BAND_BACKGROUNDS:
        result.update({f"{prefix}-{role}": variables[role] for role in ROLES if role in variables})
    result["list-cursor-background"] = variables.get("block-cursor-background", "ansi_blue")
    result["list-cursor-foreground"] = variables.get("block-cursor-foreground", "ansi_default")
    result["list-cursor-blurred-background"] = variables.get("block-cursor-background", "ansi_blue")
    result["list-cursor-blurred-foreground"] = variables.get(
        "block-cursor-foreground", "ansi_default"
    )
    result["list-highlight-background"] = "transparent"
    result["list-highlight-foreground"] = variables.get("foreground", "ansi_default")
    return result
