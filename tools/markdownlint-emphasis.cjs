// @ts-check
// MD049/MD050 (emphasis and strong style) that leave arithmatex math alone.
//
// markdownlint's parser knows `$…$` math but not the `\(…\)` and `\[…\]` the
// pages use, so it read the subscripts in `\underbrace{…}_{…} … }_{…}` as
// underscore emphasis and `--fix` rewrote them as `*`, which broke two formulas
// (commit 4eb72d4). These rules check the same thing as MD049 and MD050 (one
// style for the whole file, asterisks by default here) but skip any emphasis
// that starts or ends inside math. .markdownlint-cli2.yaml turns the built-in
// rules off and these on; tests/test_lint.py checks both halves.
"use strict";

const MATH = /\\\[[\s\S]*?\\\]|\\\([\s\S]*?\\\)/g;

/** Offsets of each line's start in the page, and the math spans as [start, end). */
function mathSpans(lines) {
  const starts = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const text = lines.join("\n");
  const spans = [...text.matchAll(MATH)].map((m) => [m.index, m.index + m[0].length]);
  const inMath = (line, column) => {
    const at = starts[line - 1] + column - 1;
    return spans.some(([start, end]) => start <= at && at < end);
  };
  return inMath;
}

/** Every token of `type`, outside HTML blocks, depth first. */
function tokensOfType(tokens, type, found = []) {
  for (const token of tokens) {
    if (token.type === type) found.push(token);
    if (token.type !== "htmlFlow") tokensOfType(token.children, type, found);
  }
  return found;
}

function rule(names, description, type, sequenceType, asterisk, underscore) {
  return {
    names,
    description: `${description}, outside math`,
    tags: ["emphasis"],
    parser: "micromark",
    function: (params, onError) => {
      let style = params.config.style || "consistent";
      const inMath = mathSpans(params.lines);
      for (const token of tokensOfType(params.parsers.micromark.tokens, type)) {
        const sequences = tokensOfType(token.children, sequenceType);
        const first = sequences[0];
        const last = sequences[sequences.length - 1];
        if (!first || !last) continue;
        if (inMath(first.startLine, first.startColumn) || inMath(last.endLine, last.endColumn - 1)) {
          continue; // a subscript in a formula, not emphasis
        }
        const actual = first.text[0] === "*" ? "asterisk" : "underscore";
        if (style === "consistent") style = actual;
        if (style === actual) continue;
        for (const sequence of [first, last]) {
          onError({
            lineNumber: sequence.startLine,
            detail: `Expected: ${style}; Actual: ${actual}`,
            range: [sequence.startColumn, sequence.text.length],
            fixInfo: {
              editColumn: sequence.startColumn,
              deleteCount: sequence.text.length,
              insertText: style === "asterisk" ? asterisk : underscore,
            },
          });
        }
      }
    },
  };
}

module.exports = [
  rule(["emphasis-style-outside-math"], "Emphasis style", "emphasis", "emphasisSequence", "*", "_"),
  rule(["strong-style-outside-math"], "Strong style", "strong", "strongSequence", "**", "__"),
];
