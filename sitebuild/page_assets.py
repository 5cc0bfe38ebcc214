"""Per-page style sheets and scripts: a page that contains a marker gets them, and no
other page does (KaTeX's CSS only where there is math, the widgets' scripts only where
there is a widget)."""

from __future__ import annotations

from sitebuild.urls import relative_url

# (marker in the page's HTML, style sheets, scripts), paths under the site's assets/.
PAGE_ASSETS = [
    (
        'class="arithmatex"',
        ["katex/katex-swap.min.css"],
        [],
    ),
    (
        'class="dropout-widget"',
        ["stylesheets/interactive.css"],
        ["javascripts/dropout-core.js", "javascripts/interactive.js"],
    ),
]


def with_assets(output: str, page_url: str) -> str:
    """Load each PAGE_ASSETS entry only on pages that use it."""

    def asset(path: str) -> str:
        return relative_url(f"assets/{path}", page_url)

    for marker, stylesheets, scripts in PAGE_ASSETS:
        if marker in output:
            head = "".join(f'<link rel="stylesheet" href="{asset(p)}">' for p in stylesheets)
            head += "".join(f'<script defer src="{asset(p)}"></script>' for p in scripts)
            output = output.replace("</head>", head + "</head>", 1)
    return output
