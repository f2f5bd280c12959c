/* Progressive enhancement only: the site reads and prints the same without this file, bar one detail.
   Print styles add the address after each external link (a[href^="http"]::after). Material's instant
   navigation rewrites every relative link to an absolute one, so internal links would print their
   address too: mark them data-internal. Mark data-url-shown the links whose text already is their
   address, which need no copy of it. Runs on the first page and after each instant navigation. */
(function () {
    "use strict";
    function mark() {
        var links = document.querySelectorAll(".md-content a[href]");
        for (var i = 0; i < links.length; i++) {
            var a = links[i];
            if (a.origin === window.location.origin) a.setAttribute("data-internal", "");
            var text = a.textContent.trim();
            if (text === a.href || text === a.getAttribute("href")) a.setAttribute("data-url-shown", "");
        }
    }
    if (window.document$ && typeof window.document$.subscribe === "function") {
        window.document$.subscribe(mark);
    } else if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", mark);
    } else {
        mark();
    }
})();
