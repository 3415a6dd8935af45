// Swagger UI's copy buttons show only a picture: each is named for screen readers as it appears.
new MutationObserver(() => {
  for (const button of document.querySelectorAll(".copy-to-clipboard > button:not([aria-label])")) {
    button.setAttribute("aria-label", "Copy to the clipboard");
  }
}).observe(document.body, { childList: true, subtree: true });
