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

// A preview opens below its link, from the link's left edge; near the right edge of the text it
// would run out of the window, so it is moved left by as much as it overflows (CSS cannot know).
var MARGIN = 8;
function placePreview(event) {
  var wrap = event.target.closest && event.target.closest(".fc-tipwrap");
  var tip = wrap && wrap.querySelector(":scope > .fc-tip");
  if (!tip) return;
  tip.style.left = "";
  var box = tip.getBoundingClientRect();
  var windowWidth = document.documentElement.clientWidth;
  var shift = Math.max(0, box.right - (windowWidth - MARGIN));
  shift = Math.min(shift, Math.max(0, box.left - MARGIN));  // never past the left edge
  if (shift > 0) tip.style.left = -shift + "px";
}
document.addEventListener("mouseover", placePreview, { passive: true });
document.addEventListener("focusin", placePreview);

// The theme's search dialog has no accessible name (axe: aria-dialog-name); give it one.
var searchDialog = document.querySelector(".md-search[role=dialog]");
if (searchDialog && !searchDialog.hasAttribute("aria-label")) {
  searchDialog.setAttribute("aria-label", "Search this site");
}
