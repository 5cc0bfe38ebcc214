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
    """Every Chinese page, and the config that holds the Chinese interface strings."""
    return [*sorted((root / "docs" / "zh").rglob("*.md")), root / "mkdocs.zh.yml"]


def findings(paths: list[Path]) -> list[Finding]:
    found = []
    for path in paths:
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
