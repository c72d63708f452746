// An output wider than the column (a wide figure at its full size) scrolls sideways: make it a named
// region that takes the keyboard focus, so arrow keys scroll it (WCAG 2.1.1; axe scrollable-region-focusable).
function klteachScrollableOutputs() {
  document.querySelectorAll(".cell_output").forEach(function (output) {
    if (output.scrollWidth > output.clientWidth + 1) {
      output.setAttribute("tabindex", "0");
      output.setAttribute("role", "region");
      var image = output.querySelector("img[alt]");
      var what = image ? image.getAttribute("alt").split(". ")[0].replace(/^Figure: /, "") : "printed output";
      output.setAttribute("aria-label", "Wide output, scroll sideways to see all of it: " + what);
    } else if (output.getAttribute("role") === "region") {
      output.removeAttribute("tabindex");
      output.removeAttribute("role");
      output.removeAttribute("aria-label");
    }
  });
}
window.addEventListener("load", klteachScrollableOutputs);
window.addEventListener("resize", klteachScrollableOutputs);
