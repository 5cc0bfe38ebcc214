"""Chinese typography with AutoCorrect (autocorrect-py): the Chinese pages and interface strings.

Run alone: `.venv/bin/python -m tests.zh_typography` (lists findings, exit 1 if any) or
`... --fix` (rewrites the files). tests/test_lint.py runs the same check.

AutoCorrect wants a space between Chinese and Latin letters or digits
(`使用 Dropout 的 64 个单元`), full-width punctuation in Chinese prose and no space
between Chinese and full-width punctuation. It parses Markdown itself and leaves code,
links and MkDocs syntax (`{ #id }`, `--8<--`, `{{ placeholders }}`, admonitions, tabs)
alone, so no rule is switched off. The one thing it misreads is arithmatex math:
`\\([0, 1)\\)` looks to it like the start of a link, so math is masked before it looks
(and restored after `--fix`).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import autocorrect_py
import yaml

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    col: int
    old: str
    new: str

    def __str__(self) -> str:
        where = self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path
        return f"{where}:{self.line}:{self.col}: {self.old.strip()!r} -> {self.new.strip()!r}"


MATH = re.compile(r"\\\((?:.|\n)*?\\\)|\\\[(?:.|\n)*?\\\]")


def mask_math(text: str) -> tuple[str, list[str]]:
    """`\\( … \\)` and `\\[ … \\]` replaced by placeholders AutoCorrect reads as Latin."""
    found: list[str] = []

    def placeholder(match: re.Match[str]) -> str:
        found.append(match[0])
        return f"MATH{len(found) - 1}X"

    return MATH.sub(placeholder, text), found


def unmask_math(text: str, found: list[str]) -> str:
    return re.sub(r"MATH(\d+)X", lambda m: found[int(m[1])], text)


def chinese_files(root: Path = ROOT) -> list[Path]:
    """Every Chinese page, the config with the Chinese interface strings, the notebooks' text."""
    notebooks = sorted((root / "includes" / "notebooks" / "zh").glob("*.yml"))
    return [*sorted((root / "docs" / "zh").rglob("*.md")), root / "mkdocs.zh.yml", *notebooks]


def notebook_text_findings(path: Path) -> list[Finding]:
    """AutoCorrect's YAML parser skips block scalars: check each notebook text as Markdown."""
    from sitebuild import notebook_text

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    texts = {"intro": data.get("intro") or "", **(data.get("sections") or {})}
    found = []
    for key, value in texts.items():
        text = notebook_text.joined(str(value or ""))
        fixed = autocorrect_py.format_for(text, "text.md")
        if fixed != text:
            found.append(Finding(path, 0, 0, f"{key}: {text}", fixed))
    return found


def findings(paths: list[Path]) -> list[Finding]:
    found = []
    for path in paths:
        if path.suffix == ".yml" and path.parent.parent.name == "notebooks":
            found += notebook_text_findings(path)
            continue
        text, math = mask_math(path.read_text(encoding="utf-8"))
        result = autocorrect_py.lint_for(text, str(path))
        found += [
            Finding(path, r.line, r.col, unmask_math(r.old, math), unmask_math(r.new, math))
            for r in result.lines
        ]
    return found


def main(argv: list[str]) -> int:
    paths = chinese_files()
    if "--fix" in argv:
        for path in paths:
            text = path.read_text(encoding="utf-8")
            masked, math = mask_math(text)
            fixed = unmask_math(autocorrect_py.format_for(masked, str(path)), math)
            if fixed != text:
                path.write_text(fixed, encoding="utf-8")
                print(f"fixed {path.relative_to(ROOT)}")
    found = findings(paths)
    for finding in found:
        print(finding)
    print(f"autocorrect: {len(paths)} files, {len(found)} findings")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
