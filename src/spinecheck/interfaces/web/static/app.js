// A small enhancement only: every page works without it.
// On the body map, tapping a place on the drawing ticks (or unticks) its box in the list.
(function () {
  "use strict";
  function boxFor(figure, spot) {
    var mode = figure.getAttribute("data-mode");
    return mode ? document.getElementById("mark-" + mode + "-" + spot) : null;
  }
  function paint(figure) {
    var spots = figure.querySelectorAll(".spot");
    for (var i = 0; i < spots.length; i++) {
      var box = boxFor(figure, spots[i].getAttribute("data-spot"));
      if (box) { spots[i].classList.toggle("on", box.checked); }
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var figures = document.querySelectorAll(".figure[data-mode]");
    for (var i = 0; i < figures.length; i++) {
      var figure = figures[i];
      if (!figure.getAttribute("data-mode")) { continue; }
      figure.classList.add("tappable");
      figure.addEventListener("click", function (event) {
        var target = event.target.closest ? event.target.closest(".spot") : null;
        if (!target) { return; }
        var fig = event.currentTarget;
        var box = boxFor(fig, target.getAttribute("data-spot"));
        if (!box) { return; }
        box.checked = !box.checked;
        paint(fig);
      });
      var fieldset = figure.closest("fieldset");
      if (fieldset) {
        fieldset.addEventListener("change", (function (fig) { return function () { paint(fig); }; })(figure));
      }
    }
  });
})();
