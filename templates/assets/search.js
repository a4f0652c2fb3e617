// The search page: Pagefind's UI (files written by Pagefind into pagefind/), started with the ?q= of the URL.
window.addEventListener("DOMContentLoaded", function () {
  if (typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({ element: "#search", showSubResults: false, showImages: false, resetStyles: false });
  // Pagefind's input has only a placeholder and a title: give it a visible label (axe: label-title-only).
  var input = document.querySelector("#search .pagefind-ui__search-input");
  if (input) {
    input.id = "search-input";
    var label = document.createElement("label");
    label.htmlFor = "search-input";
    label.textContent = "Search the records";
    document.getElementById("search").before(label);
  }
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
});
