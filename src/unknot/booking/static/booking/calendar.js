// Moving appointments on the staff calendar grid, by mouse (drag and drop) or keyboard
// (focus a block, arrow keys to move it a row or a column, Enter to move it, Escape to
// leave it). Both post to the appointment's move address, the same one the appointment
// page's form uses without JavaScript; the server decides and answers in plain words,
// which are read out through the page's live region. Nothing here is needed to read or
// book the calendar.
(function () {
  "use strict";
  var grid = document.querySelector("[data-calendar][data-can-move]");
  var announce = document.getElementById("calendar-announce");
  var form = document.getElementById("calendar-move-form");
  if (!grid || !announce || !form || !window.fetch || !window.FormData) { return; }
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var columns = Array.prototype.slice.call(grid.querySelectorAll(".cal-col"));
  var rows = {};
  var lastRow = 0;
  Array.prototype.forEach.call(grid.querySelectorAll(".cal-time"), function (el) {
    var number = parseInt(el.getAttribute("data-row"), 10);
    rows[number] = { time: el.getAttribute("data-time"), label: el.getAttribute("data-label") };
    lastRow = Math.max(lastRow, number);
  });
  var keyMove = null;   // the block being moved by keyboard and where it came from
  var dragged = null;   // the block being dragged, and how far down it was grabbed
  var relocating = false;

  function say(text, refused) {
    announce.textContent = text;
    announce.classList.toggle("is-refused", Boolean(refused));
  }

  function rowOf(block) { return parseInt(block.getAttribute("data-row"), 10); }
  function spanOf(block) { return parseInt(block.getAttribute("data-span"), 10) || 1; }
  function columnOf(block) { return block.closest(".cal-col"); }

  function clampRow(block, row) {
    return Math.min(Math.max(row, 1), Math.max(1, lastRow - spanOf(block) + 1));
  }

  // Shows the block at (column, row): only its class and parent change, the server's
  // answer decides whether it stays there.
  function place(block, column, row) {
    relocating = true;
    block.className = block.className.replace(/\bat-\d+\b/, "at-" + row);
    block.setAttribute("data-row", String(row));
    column.querySelector(".cal-body").appendChild(block);
    relocating = false;
  }

  function where(column, row) {
    return rows[row].label + ", " + column.getAttribute("data-heading");
  }

  // confirmed: the person agreed to move past an insurance authorization the server named.
  function send(block, column, row, putBack, confirmed) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    body.append("therapist", column.getAttribute("data-therapist"));
    body.append("date", column.getAttribute("data-date"));
    body.append("time", rows[row].time);
    if (confirmed) { body.append("confirm", "yes"); }
    say("Moving " + block.getAttribute("data-who") + " to " + where(column, row) + "…");
    fetch(block.getAttribute("data-move-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token }
    }).then(function (response) {
      return response.json().catch(function () {
        return { moved: false, message: "The calendar could not save the move. Nothing was changed." };
      }).then(function (answer) {
        if (response.ok && answer.moved) {
          say(answer.message);
          window.location.reload();  // the grid is drawn again from what was saved
          return;
        }
        if (answer.confirm && !confirmed) {
          // Nothing is moved until the person says so (the server warned before writing).
          if (window.confirm(answer.message + "\n\nMove anyway?")) {
            send(block, column, row, putBack, true);
            return;
          }
        }
        putBack();
        say("Not moved: " + answer.message, true);
      });
    }).catch(function () {
      putBack();
      say("The move could not be sent (no connection?). Nothing was changed.", true);
    });
  }

  // ---- keyboard -----------------------------------------------------------------------

  function startKeyMove(block) {
    keyMove = { block: block, column: columnOf(block), row: rowOf(block) };
    block.classList.add("is-moving");
  }

  function endKeyMove(putBack) {
    if (!keyMove) { return; }
    var moving = keyMove;
    keyMove = null;
    moving.block.classList.remove("is-moving");
    if (putBack) { place(moving.block, moving.column, moving.row); }
  }

  function focusLink(block) {
    var link = block.querySelector(".cal-block-link");
    if (link) { link.focus(); }
  }

  function step(block, key) {
    var column = columnOf(block);
    var index = columns.indexOf(column);
    var row = rowOf(block);
    if (key === "ArrowUp") { row = clampRow(block, row - 1); }
    if (key === "ArrowDown") { row = clampRow(block, row + 1); }
    if (key === "ArrowLeft") { column = columns[Math.max(index - 1, 0)]; }
    if (key === "ArrowRight") { column = columns[Math.min(index + 1, columns.length - 1)]; }
    place(block, column, row);
    focusLink(block);
    say(block.getAttribute("data-who") + ": " + where(column, row) +
        ". Enter to move here, Escape to leave it where it was.");
  }

  grid.addEventListener("keydown", function (event) {
    var block = event.target.closest && event.target.closest(".cal-block[data-move-url]");
    if (!block || !event.target.classList.contains("cal-block-link")) { return; }
    var key = event.key;
    if (key === "ArrowUp" || key === "ArrowDown" || key === "ArrowLeft" || key === "ArrowRight") {
      event.preventDefault();
      if (!keyMove || keyMove.block !== block) { endKeyMove(true); startKeyMove(block); }
      step(block, key);
    } else if (key === "Enter" && keyMove && keyMove.block === block) {
      event.preventDefault();
      var from = keyMove;
      endKeyMove(false);
      if (columnOf(block) === from.column && rowOf(block) === from.row) {
        say("Not moved: it is already there.");
        return;
      }
      send(block, columnOf(block), rowOf(block), function () {
        place(block, from.column, from.row);
        focusLink(block);
      });
    } else if (key === "Escape" && keyMove && keyMove.block === block) {
      event.preventDefault();
      endKeyMove(true);
      focusLink(block);
      say("Move cancelled: " + block.getAttribute("data-who") + " stays where it was.");
    }
  });

  grid.addEventListener("focusout", function (event) {
    if (relocating || !keyMove || !keyMove.block.contains(event.target)) { return; }
    if (keyMove.block.contains(event.relatedTarget)) { return; }
    var block = keyMove.block;
    endKeyMove(true);
    say("Move cancelled: " + block.getAttribute("data-who") + " stays where it was.");
  });

  // ---- mouse ----------------------------------------------------------------------------

  function rowHeight(body) {
    return body.getBoundingClientRect().height / lastRow;
  }

  function rowAt(column, clientY) {
    var body = column.querySelector(".cal-body");
    var top = body.getBoundingClientRect().top;
    return Math.floor((clientY - top) / rowHeight(body)) + 1;
  }

  grid.addEventListener("dragstart", function (event) {
    var block = event.target.closest && event.target.closest(".cal-block[data-move-url]");
    if (!block) { return; }
    endKeyMove(true);
    var grabbed = Math.floor((event.clientY - block.getBoundingClientRect().top) /
                             rowHeight(columnOf(block).querySelector(".cal-body")));
    dragged = { block: block, grabbed: Math.max(grabbed, 0) };
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", block.getAttribute("data-appointment"));
    block.classList.add("is-moving");
  });

  grid.addEventListener("dragover", function (event) {
    if (!dragged || !event.target.closest || !event.target.closest(".cal-col")) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
  });

  grid.addEventListener("drop", function (event) {
    if (!dragged) { return; }
    var column = event.target.closest && event.target.closest(".cal-col");
    if (!column) { return; }
    event.preventDefault();
    var block = dragged.block;
    var from = { column: columnOf(block), row: rowOf(block) };
    var row = clampRow(block, rowAt(column, event.clientY) - dragged.grabbed);
    if (column === from.column && row === from.row) { return; }
    place(block, column, row);
    send(block, column, row, function () { place(block, from.column, from.row); });
  });

  grid.addEventListener("dragend", function () {
    if (dragged) { dragged.block.classList.remove("is-moving"); }
    dragged = null;
  });
}());
