"""The `$readable-*`, `$status-*`, `$footer-*` and `$list-*` CSS variables of a theme.

A theme's accent colours are chosen to look good as accents, not to be read as text on its own
backgrounds (`textual-dark`'s `$secondary` on `$surface` is 1.7:1). The reader's stylesheet
colours text with these variables instead: the theme's own colour, lightened or darkened only
as far as it takes to reach WCAG AA (4.5:1) on the backgrounds it is drawn on
(`core/contrast.py` does the arithmetic).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from textual.color import Color

from papershelf.core.contrast import RGB, best_text, mix, readable

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
"""Theme colours widgets use for text, each offered as `$readable-<role>` (and the bands')."""


def resolve(value: str, under: RGB) -> RGB:
    """A theme variable's value as the opaque colour it shows on top of `under`.

    Handles `#rrggbbaa`, `name 60%` and `auto 60%` (Textual's contrasting text).
    """
    parts = value.split()
    alpha = float(parts[1][:-1]) / 100 if len(parts) > 1 and parts[1].endswith("%") else 1.0
    ground = Color.parse(as_hex(under))
    if parts[0] == "auto":
        parsed = ground.get_contrast_text(1.0)
    else:
        parsed = Color.parse(parts[0])
        alpha *= parsed.a
    return mix(under, parsed.rgb, alpha)


def as_hex(rgb: RGB) -> str:
    return "#{:02X}{:02X}{:02X}".format(*rgb)


def readable_variables(variables: Mapping[str, str]) -> dict[str, str]:
    """The `$readable-<role>`, `$status-<role>`, `$footer-<role>` and `$list-*` colours.

    `variables` are a theme's resolved CSS variables. ANSI themes (colours named `ansi_…`) use
    the terminal's palette, which no program can know; there the variables are the theme's own.
    Remembered per theme: Textual asks again whenever it refreshes the stylesheet.
    """
    return dict(_readable_variables(tuple(sorted(variables.items()))))


@lru_cache(maxsize=64)
def _readable_variables(items: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple(_compute(dict(items)).items())


def _compute(variables: Mapping[str, str]) -> dict[str, str]:
    if any(str(variables.get(name, "")).startswith("ansi") for name in TEXT_BACKGROUNDS[:2]):
        return _ansi_fallback(variables)
    base = Color.parse(variables["background"]).rgb
    surface = resolve(variables["surface"], base)
    grounds = [resolve(variables[name], base) for name in TEXT_BACKGROUNDS if name in variables]
    bands = {
        prefix: resolve(variables.get(name, variables["panel"]), base)
        for prefix, name in BAND_BACKGROUNDS.items()
    }
    result: dict[str, str] = {}
    for role in ROLES:
        if role not in variables:
            continue
        own = resolve(variables[role], surface)
        result[f"readable-{role}"] = as_hex(readable(own, grounds))
        for prefix, band in bands.items():
            result[f"{prefix}-{role}"] = as_hex(readable(own, [band]))
    foreground = resolve(variables["foreground"], surface)
    cursor = resolve(variables["block-cursor-background"], surface)
    blurred = mix(surface, cursor, 0.35)
    highlight = mix(surface, resolve(variables["warning"], surface), 0.35)
    for name, ground in (
        ("list-cursor", cursor),
        ("list-cursor-blurred", blurred),
        ("list-highlight", highlight),
    ):
        result[f"{name}-background"] = as_hex(ground)
        result[f"{name}-foreground"] = as_hex(best_text(foreground, ground))
    return result


def _ansi_fallback(variables: Mapping[str, str]) -> dict[str, str]:
    result = {f"readable-{role}": variables[role] for role in ROLES if role in variables}
    for prefix in BAND_BACKGROUNDS:
        result.update({f"{prefix}-{role}": variables[role] for role in ROLES if role in variables})
    cursor = variables.get("block-cursor-background", "ansi_blue")
    text = variables.get("block-cursor-foreground", "ansi_default")
    result["list-cursor-background"] = cursor
    result["list-cursor-foreground"] = text
    result["list-cursor-blurred-background"] = cursor
    result["list-cursor-blurred-foreground"] = text
    result["list-highlight-background"] = "transparent"
    result["list-highlight-foreground"] = variables.get("foreground", "ansi_default")
    return result
