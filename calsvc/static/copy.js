// Progressive enhancement for the subscribe page: "Adresse kopieren" buttons.
// The page works without it (addresses are shown as text); CSP allows only same-origin scripts.
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      await navigator.clipboard.writeText(button.dataset.copy);
      const label = button.textContent;
      button.textContent = "Kopiert ✓";
      setTimeout(() => { button.textContent = label; }, 2000);
    });
  }
});
