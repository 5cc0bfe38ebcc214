// Render the LaTeX that pymdownx.arithmatex (generic mode) leaves in
// .arithmatex elements, with the KaTeX copy this site serves itself.
document.querySelectorAll(".arithmatex").forEach((element) => {
  renderMathInElement(element, {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    throwOnError: true,
  });
});
