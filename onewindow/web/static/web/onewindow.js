// A button marked data-ow-print prints its page (the print style sheet leaves out the navigation).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-ow-print]")) window.print();
});

// Tables marked ow-stack read as cards on a phone (onewindow.css): each cell carries its column's
// heading, and a cell that says nothing ("—" or empty) is marked so that its card leaves it out.
function labelStackedTables(root) {
  for (const table of root.querySelectorAll("table.ow-stack")) {
    const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    for (const row of table.querySelectorAll("tbody tr")) {
      [...row.cells].forEach((cell, n) => {
        if (headings[n] && !cell.dataset.label) cell.dataset.label = headings[n];
        cell.classList.toggle("ow-stack-empty", ["", "—"].includes(cell.textContent.trim()));
      });
    }
  }
}
labelStackedTables(document);
document.addEventListener("htmx:afterSwap", (event) => labelStackedTables(event.target));

// A block marked data-ow-shown-if="<select id>=<value>" shows only while that select holds that value
// (the phase form's actual start date: only for the move to 新开工). Without script it shows as rendered.
function showDependentBlocks() {
  for (const block of document.querySelectorAll("[data-ow-shown-if]")) {
    const [id, value] = block.dataset.owShownIf.split("=");
    const select = document.getElementById(id);
    if (select) block.hidden = select.value !== value;
  }
}
showDependentBlocks();
document.addEventListener("change", (event) => {
  if (event.target.matches("select")) showDependentBlocks();
});
