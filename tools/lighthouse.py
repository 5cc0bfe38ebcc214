"""Lighthouse 12 (npm, Node 20) with Debian's Chromium, mobile emulation, on the pages
issue 7 names, in both languages. Part of `make bench`; also runs alone:
`.venv/bin/python tools/lighthouse.py SITE_DIR` (a built site) prints the table."""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools import hosting

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGES = ["", "complete-example/", "notebooks/complete_example/", "interactive/"]
BUDGET = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 0.95}


def _run(url: str) -> dict:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--form-factor=mobile",
                "--only-categories=performance,accessibility,best-practices,seo",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                "--output=json",
                f"--output-path={report.name}",
            ],
            env={"CHROME_PATH": chromium, "PATH": "/usr/bin:/bin"},
            check=True,
            capture_output=True,
            timeout=300,
        )
        return json.loads(Path(report.name).read_text())


def scores(site: Path, runs: int = 5) -> list[tuple[str, dict[str, float], list[str]]]:
    """(page, {category: median score of `runs`}, failed audits) for each page that exists.

    Lighthouse's own advice for a noisy machine: run several times, report the median
    (the run with the median performance score gives the failed audits).
    """
    results = []
    with hosting.serve(site) as base:  # compressed, as GitHub Pages serves the site
        for folder in ("", "zh/"):
            for page in PAGES:
                if not (site / folder / page / "index.html").exists():
                    continue
                reports = [_run(base + folder + page) for _ in range(runs)]
                reports.sort(key=lambda r: r["categories"]["performance"]["score"])
                got = {
                    c: statistics.median(r["categories"][c]["score"] for r in reports)
                    for c in reports[0]["categories"]
                }
                failed = sorted(
                    k
                    for k, a in reports[len(reports) // 2]["audits"].items()
                    if a.get("scoreDisplayMode") == "binary" and a.get("score") == 0
                )
                results.append((folder + page, got, failed))
    return results


def table(results: list[tuple[str, dict[str, float], list[str]]]) -> str:
    lines = [
        "| page | performance | accessibility | best practices | SEO | failed audits |",
        "|---|---|---|---|---|---|",
    ]
    for page, got, failed in results:
        cells = [
            f"{got[c] * 100:.0f}" + ("" if got[c] >= BUDGET[c] else " **missed**") for c in BUDGET
        ]
        lines.append(f"| `{page or '/'}` | {' | '.join(cells)} | {', '.join(failed) or '—'} |")
    return "\n".join(lines)


def all_met(results) -> bool:
    return all(got[c] >= BUDGET[c] for _, got, _ in results for c in BUDGET)


if __name__ == "__main__":
    # tools/lighthouse.py SITE_DIR [--append FILE]: print the table, or add it to FILE.
    text = table(scores(Path(sys.argv[1])))
    if "--append" in sys.argv:
        target = Path(sys.argv[sys.argv.index("--append") + 1])
        heading = "\n## Lighthouse (run alone by tools/lighthouse.py) { #lighthouse }\n\n"
        target.write_text(target.read_text(encoding="utf-8") + heading + text + "\n")
    print(text)
