"""The font the Chinese figures are drawn with must be installed before examples run.

Matplotlib draws SVG text as glyph paths, so the build needs a font with Chinese
glyphs: Noto Sans CJK SC, from Debian's ``fonts-noto-cjk`` (``make setup`` installs
it when it can). Without it, Matplotlib would warn about missing glyphs deep inside an
example's run; this says what to install before anything runs.
"""

from __future__ import annotations

from sitebuild.figures import CJK_FONT


def missing_cjk_font() -> str | None:
    """None if Matplotlib finds the Chinese figures' font, else what to do about it."""
    from matplotlib import font_manager

    try:
        font_manager.findfont(
            font_manager.FontProperties(family=CJK_FONT), fallback_to_default=False
        )
    except ValueError:
        return (
            f"Matplotlib finds no {CJK_FONT!r}, which the Chinese figures are drawn with: "
            "install it (Debian and Ubuntu: apt-get install fonts-noto-cjk; `make setup` "
            "does that when run as root) and delete Matplotlib's font cache "
            "(~/.cache/matplotlib)"
        )
    return None
