// Shows the timeline's TimelineJS data (#timeline-embed's data-source) with TimelineJS3,
// which the page loads from our own static files (static/vendor/timelinejs/).
(function () {
  "use strict";
  const container = document.getElementById("timeline-embed");
  if (!container || !window.TL) return;
  // TimelineJS takes its size from the container; set through the CSSOM, which the
  // Content-Security-Policy allows (an inline style attribute it would not).
  container.style.height = Math.max(560, Math.round(window.innerHeight * 0.8)) + "px";
  window.timeline = new TL.Timeline("timeline-embed", container.dataset.source, {
    // Where it would look for anything else it loads: ours, never its CDN.
    script_path: new URL(container.dataset.scriptPath, document.baseURI).href,
    // Its named fonts come from Google Fonts; the site's own fonts will do.
    font: null,
    hash_bookmark: false,
    language: "en",
  });
})();
