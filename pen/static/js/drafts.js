// Drafts: what is typed in a topic or reply is saved on the server every 10 seconds when
// it changed, and when the text loses focus. Without this script, "Save draft" does it.
(() => {
  const INTERVAL_MS = 10 * 1000;
  document.querySelectorAll(".pen-draft[data-draft-url]").forEach((status) => {
    const form = status.closest("form");
    if (!form || form.dataset.drafting) return;
    form.dataset.drafting = "1";
    const body = form.querySelector("textarea[name=body]");
    const title = form.querySelector("input[name=title]");
    let saved = snapshot();

    function snapshot() { return (title ? title.value : "") + "\u0000" + body.value; }

    async function save() {
      const now = snapshot();
      if (now === saved) return;
      const data = new FormData();
      data.set("csrf_token", form.querySelector("input[name=csrf_token]").value);
      data.set("body", body.value);
      if (title) data.set("title", title.value);
      try {
        const response = await fetch(status.dataset.draftUrl, {
          method: "POST", body: data, credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        const answer = await response.json();
        if (response.ok) saved = now;
        status.textContent = response.ok ? status.dataset.savedLabel : answer.error;
        status.classList.toggle("text-danger", !response.ok);
      } catch (error) { /* offline: the next try sends it */ }
    }

    setInterval(save, INTERVAL_MS);
    body.addEventListener("blur", save);
    if (title) title.addEventListener("blur", save);
    form.addEventListener("submit", () => { saved = snapshot(); });  // posting discards it
  });
})();
