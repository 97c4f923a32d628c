// The print views: the 「印刷する」 button opens the browser's print dialog. Without the
// script it stays hidden and the browser's own 印刷 (Ctrl+P) prints the same sheet.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
