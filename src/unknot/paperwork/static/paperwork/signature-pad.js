// The optional drawn signature: shows the drawing pad, and puts what is drawn (a PNG data
// URL) into the form's hidden field when it is sent. Without this script the page still
// works: the typed name is the signature. Served from our own static files (no CDN).
(function () {
  "use strict";
  var pad = document.querySelector("[data-signature-pad]");
  var form = pad && pad.closest("form");
  var canvas = pad && pad.querySelector("canvas");
  var field = form && form.querySelector("input[name='drawn_signature']");
  if (!canvas || !field || !canvas.getContext) { return; }
  var context = canvas.getContext("2d");
  var drawing = false;
  var drawn = false;
  pad.hidden = false;
  context.lineWidth = 2.5;
  context.lineCap = "round";
  context.strokeStyle = "#000";

  function at(event) {
    var box = canvas.getBoundingClientRect();
    return {
      x: (event.clientX - box.left) * (canvas.width / box.width),
      y: (event.clientY - box.top) * (canvas.height / box.height)
    };
  }
  canvas.addEventListener("pointerdown", function (event) {
    var point = at(event);
    drawing = true;
    canvas.setPointerCapture(event.pointerId);
    context.beginPath();
    context.moveTo(point.x, point.y);
    event.preventDefault();
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drawing) { return; }
    var point = at(event);
    context.lineTo(point.x, point.y);
    context.stroke();
    drawn = true;
    event.preventDefault();
  });
  function stop() { drawing = false; }
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  pad.querySelector("[data-signature-clear]").addEventListener("click", function () {
    context.clearRect(0, 0, canvas.width, canvas.height);
    drawn = false;
    field.value = "";
  });
  form.addEventListener("submit", function () {
    field.value = drawn ? canvas.toDataURL("image/png") : "";
  });
}());
