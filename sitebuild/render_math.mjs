// Render TeX to HTML with the KaTeX the site serves, for sitebuild/katex.py.
// Reads a JSON list of [tex, display] pairs on stdin and writes a JSON list of
// HTML strings to stdout. A formula KaTeX cannot parse exits with status 1 and
// names the formula, so the build fails where the error is.
import katex from "../node_modules/katex/dist/katex.mjs";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const rendered = [];
for (const [tex, display] of JSON.parse(input)) {
  try {
    rendered.push(katex.renderToString(tex, { displayMode: display, throwOnError: true }));
  } catch (error) {
    process.stderr.write(`KaTeX cannot render ${JSON.stringify(tex)}: ${error.message}\n`);
    process.exit(1);
  }
}
process.stdout.write(JSON.stringify(rendered));
