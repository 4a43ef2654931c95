// Previews of citations and claims open on hover and focus (CSS). Escape closes the one that is
// open, as WCAG 1.4.13 asks of content that appears on hover or focus.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  document.querySelectorAll(".fc-tipwrap").forEach(function (wrap) {
    wrap.classList.add("fc-tipwrap--dismissed");
  });
});
document.addEventListener("pointermove", function () {
  document.querySelectorAll(".fc-tipwrap--dismissed").forEach(function (wrap) {
    wrap.classList.remove("fc-tipwrap--dismissed");
  });
}, { passive: true });
document.addEventListener("focusin", function () {
  document.querySelectorAll(".fc-tipwrap--dismissed").forEach(function (wrap) {
    wrap.classList.remove("fc-tipwrap--dismissed");
  });
});

// The theme's search dialog has no accessible name (axe: aria-dialog-name); give it one.
var searchDialog = document.querySelector(".md-search[role=dialog]");
if (searchDialog && !searchDialog.hasAttribute("aria-label")) {
  searchDialog.setAttribute("aria-label", "Search this site");
}
