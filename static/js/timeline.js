// The timeline page, enhanced; everything works without this script.
// - The filters fold into a disclosure so that a phone's first screen shows events; on a
//   wider screen they start unfolded.
// - The overview above the timeline (templates/timeline/overview.html): drag across the
//   axis with a mouse or a pen to show only the events of those days. It sets the same
//   date-range filter (?start=…&end=…) as the zoom links.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var fold = document.querySelector(".filters-fold");
  if (fold && window.matchMedia("(min-width: 40.01rem)").matches) { fold.open = true; }
  var svg = document.querySelector(".overview-axis");
  if (!svg) { return; }
  // On a narrow screen the axis scrolls sideways: bring the chosen days, else the latest
  // event, into view rather than the first months.
  var frame = svg.parentElement;
  if (frame.scrollWidth > frame.clientWidth) {
    var focus = svg.querySelector(".ov-selection") || svg.querySelector(".ov-mark:last-of-type");
    if (focus) {
      var box = focus.getBoundingClientRect(), outer = frame.getBoundingClientRect();
      frame.scrollLeft += box.right - outer.right + 24;
    }
  }
  var first = Date.parse(svg.dataset.first), last = Date.parse(svg.dataset.last);
  var axisY = Number(svg.dataset.axisY), left = 14, right = 986, day = 86400000;
  var origin = null, brush = null;

  function toAxis(event) {
    var point = svg.createSVGPoint();
    point.x = event.clientX; point.y = event.clientY;
    var x = point.matrixTransform(svg.getScreenCTM().inverse()).x;
    return Math.min(Math.max(x, left), right);
  }
  function dayAt(x) {
    var ms = first + (last - first) * (x - left) / (right - left);
    return new Date(Math.round(ms / day) * day).toISOString().slice(0, 10);
  }
  function draw(x) {
    brush.setAttribute("x", Math.min(origin, x));
    brush.setAttribute("width", Math.abs(x - origin));
  }

  svg.addEventListener("pointerdown", function (event) {
    // A touch scrolls the axis sideways; a click on a mark follows its link.
    if (event.pointerType === "touch" || event.button !== 0 || event.target.closest("a")) { return; }
    origin = toAxis(event);
    brush = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    brush.setAttribute("class", "ov-brush");
    brush.setAttribute("y", 0);
    brush.setAttribute("height", axisY);
    svg.insertBefore(brush, svg.firstChild.nextSibling);
    draw(origin);
    svg.classList.add("is-brushing");
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener("pointermove", function (event) {
    if (brush) { draw(toAxis(event)); }
  });
  svg.addEventListener("pointerup", function (event) {
    if (!brush) { return; }
    var x = toAxis(event), from = Math.min(origin, x), to = Math.max(origin, x);
    svg.classList.remove("is-brushing");
    brush.remove(); brush = null;
    if (to - from < 4) { return; }  // a click, not a drag
    var url = new URL(window.location.href);
    url.searchParams.set("start", dayAt(from));
    url.searchParams.set("end", dayAt(to));
    url.searchParams.delete("page");
    url.searchParams.delete("period");
    url.hash = "overview-title";
    window.location.assign(url.toString());
  });
});
