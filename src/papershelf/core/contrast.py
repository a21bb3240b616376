"""WCAG 2 contrast arithmetic on plain RGB triples (pure: no Textual, no I/O).

Used to turn a theme's colours into ones that read at AA (4.5:1) on the theme's backgrounds.
"""

from __future__ import annotations

from collections.abc import Iterable

RGB = tuple[int, int, int]

AA = 4.5
"""WCAG 2 level AA for normal text."""

LIGHTEST: RGB = (255, 255, 255)
DARKEST: RGB = (0, 0, 0)
"""The two ends a colour is moved toward until it reads."""


def _linear(value: int) -> float:
    scaled = value / 255
    return scaled / 12.92 if scaled <= 0.04045 else ((scaled + 0.055) / 1.055) ** 2.4


_LINEAR = tuple(_linear(value) for value in range(256))
"""Each 8-bit channel value made linear once (a theme's colours are checked many times)."""


def relative_luminance(rgb: RGB) -> float:
    """WCAG 2 relative luminance of an opaque colour (0 black … 1 white)."""
    red, green, blue = rgb
    return 0.2126 * _LINEAR[red] + 0.7152 * _LINEAR[green] + 0.0722 * _LINEAR[blue]


def contrast_ratio(first: RGB, second: RGB) -> float:
    """WCAG 2 contrast ratio of two opaque colours, from 1 (same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mix(start: RGB, end: RGB, amount: float) -> RGB:
    """`start` moved `amount` (0..1) of the way to `end`."""
    return tuple(round(a + (b - a) * amount) for a, b in zip(start, end, strict=True))  # type: ignore[return-value]


def readable(rgb: RGB, backgrounds: Iterable[RGB], minimum: float = AA) -> RGB:
    """`rgb` moved toward white or black just far enough to reach `minimum` on each background.

    When no shade can do it on all of them (backgrounds both light and dark), the shade with
    the best worst-case ratio is returned.
    """
    grounds = list(backgrounds)

    def worst(candidate: RGB) -> float:
        return min(contrast_ratio(candidate, ground) for ground in grounds)

    best, best_score = rgb, worst(rgb)
    if best_score >= minimum:
        return rgb
    for end in (LIGHTEST, DARKEST):
        for step in range(1, 21):
            candidate = mix(rgb, end, step / 20)
            score = worst(candidate)
            if score >= minimum:
                if best_score < minimum or score > best_score:
                    best, best_score = candidate, score
                break
            if score > best_score:
                best, best_score = candidate, score
    return best


def best_text(foreground: RGB, background: RGB) -> RGB:
    """`foreground` when it reads on `background`; otherwise white or black.

    The end on `foreground`'s side (white for light text) is kept when it reads, so a dark
    theme's cursor row stays light text on colour; else whichever of the two reads better.
    """
    if contrast_ratio(foreground, background) >= AA:
        return foreground
    same_side = LIGHTEST if relative_luminance(foreground) > 0.5 else DARKEST
    if contrast_ratio(same_side, background) >= AA:
        return same_side
    return max((LIGHTEST, DARKEST), key=lambda end: contrast_ratio(end, background))
