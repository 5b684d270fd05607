// A button marked data-ow-print prints its page (the print style sheet leaves out the navigation).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-ow-print]")) window.print();
});
