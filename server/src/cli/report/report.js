// Sorts the plans table by the column whose header is clicked; a second
// click reverses. Each cell carries its sort key in data-sort.
(function () {
  "use strict";
  var table = document.getElementById("plans");
  if (!table) { return; }
  var body = table.tBodies[0];
  var headers = table.tHead.rows[0].cells;
  function key(row, column) {
    var text = row.cells[column].getAttribute("data-sort") || "";
    var number = Number(text);
    return text !== "" && !isNaN(number) ? number : text;
  }
  function sortBy(column) {
    var header = headers[column];
    var direction = header.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    var sign = direction === "ascending" ? 1 : -1;
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, column), y = key(b, column);
      var order = typeof x === "number" && typeof y === "number"
        ? x - y : String(x).localeCompare(String(y));
      return order * sign;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    for (var i = 0; i < headers.length; i++) { headers[i].setAttribute("aria-sort", "none"); }
    header.setAttribute("aria-sort", direction);
  }
  for (var i = 0; i < headers.length; i++) {
    headers[i].querySelector("button").addEventListener("click", sortBy.bind(null, i));
  }
})();
