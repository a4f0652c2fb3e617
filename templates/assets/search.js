// The search page: Pagefind's UI (files written by Pagefind into pagefind/), started with the ?q= of the URL.
// The index is sharded by record: one Pagefind bundle per shard, listed by the page in data-shards. The first
// is the UI's own bundle, the others are merged into it (Pagefind ranks the merged results by score and sums
// the filter counts). Paths are made absolute from the page's address, so the site works under any path.
window.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("search");
  if (typeof PagefindUI === "undefined" || !element || !element.dataset.shards) return;
  var here = window.location.href;
  var siteRoot = new URL(element.dataset.siteRoot, here).pathname;
  var shardRoot = new URL(element.dataset.shardRoot, here).pathname;
  var bundles = element.dataset.shards.split(" ").map(function (name) {
    return { bundlePath: shardRoot + name + "/", baseUrl: siteRoot };
  });
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: bundles[0].bundlePath,
    baseUrl: siteRoot,
    mergeIndex: bundles.slice(1),
    showSubResults: false,
    showImages: false,
    resetStyles: false,
  });
  // Pagefind's input has only a placeholder and a title: give it a visible label (axe: label-title-only).
  var input = document.querySelector("#search .pagefind-ui__search-input");
  if (input) {
    input.id = "search-input";
    var label = document.createElement("label");
    label.htmlFor = "search-input";
    label.textContent = "Search the records";
    element.before(label);
  }
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
});
