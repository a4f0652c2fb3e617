// The search page: Pagefind's UI (files written by Pagefind into pagefind/), started with the ?q= of the URL.
// The index is sharded by record: one Pagefind bundle per shard, listed by the page in data-shards. The first
// is the UI's own bundle, the others are merged into it (Pagefind ranks the merged results by score and sums
// the filter counts). Paths are made absolute from the page's address, so the site works under any path.
//
// A search counts its results per filter value from the filter files each bundle has loaded by then, and
// Pagefind's UI loads them alongside its first search, not before it: a query in the address could be
// counted without the bundles whose filter files came late (a tier showing 1 result of its 2). So the
// bundles are merged and their filters loaded here first, and the UI, which imports the same module, is
// started on the merged index.
window.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("search");
  if (typeof PagefindUI === "undefined" || !element || !element.dataset.shards) return;
  var here = window.location.href;
  var siteRoot = new URL(element.dataset.siteRoot, here).pathname;
  var shardRoot = new URL(element.dataset.shardRoot, here).pathname;
  var bundlePaths = element.dataset.shards.split(" ").map(function (name) {
    return shardRoot + name + "/";
  });

  function mergedIndex(pagefind) {
    var merged = pagefind.options({ baseUrl: siteRoot });
    bundlePaths.slice(1).forEach(function (path) {
      merged = merged.then(function () {
        return pagefind.mergeIndex(path, { baseUrl: siteRoot });
      });
    });
    return merged.then(function () {
      return pagefind.filters();
    });
  }

  function start() {
    var ui = new PagefindUI({
      element: "#search",
      bundlePath: bundlePaths[0],
      baseUrl: siteRoot,
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
  }

  import(bundlePaths[0] + "pagefind.js").then(mergedIndex).then(start, function (error) {
    console.error("Search could not load its index: " + error);
  });
});
