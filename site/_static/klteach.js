// An output wider than the column (a wide figure at its full size) scrolls sideways: make it a named
// region that takes the keyboard focus, so arrow keys scroll it (WCAG 2.1.1; axe scrollable-region-focusable).
function klteachScrollableOutputs() {
  document.querySelectorAll(".cell_output").forEach(function (output) {
    if (output.scrollWidth > output.clientWidth + 1) {
      output.setAttribute("tabindex", "0");
      output.setAttribute("role", "region");
      // a short name, told apart by its first words (the image's alt text says the rest)
      var image = output.querySelector("img[alt]");
      var text = image ? image.getAttribute("alt").replace(/^Figure: /, "") : output.textContent;
      var words = text.trim().split(/\s+/).slice(0, 6).join(" ").replace(/[.,;:]+$/, "");
      output.setAttribute("aria-label", (image ? "Wide figure, " : "Wide printed output, ")
                          + "scroll sideways: " + words + " …");
    } else if (output.getAttribute("role") === "region") {
      output.removeAttribute("tabindex");
      output.removeAttribute("role");
      output.removeAttribute("aria-label");
    }
  });
}
window.addEventListener("load", klteachScrollableOutputs);
window.addEventListener("resize", klteachScrollableOutputs);
