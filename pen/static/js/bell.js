// The bell: a click opens the latest notifications in place (and marks them read), and
// the count is polled now and then. Without this script the bell is a link to the page.
(() => {
  const box = document.querySelector(".pen-bell-box");
  if (!box || box.dataset.ready) return;
  box.dataset.ready = "1";
  const bell = box.querySelector(".pen-bell");
  const panel = box.querySelector(".pen-bell-panel");
  const POLL_MS = 90 * 1000;  // modest: one small indexed query per open tab and poll
  bell.setAttribute("aria-expanded", "false");

  function showCount(unread) {
    let badge = bell.querySelector(".pen-bell-count");
    if (!unread) { if (badge) badge.remove(); return; }
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "pen-bell-count badge rounded-pill text-bg-warning";
      const label = document.createElement("span");
      label.className = "visually-hidden";
      label.textContent = " " + (box.dataset.unreadLabel || "unread");
      badge.append(document.createTextNode(""), label);
      bell.append(" ", badge);
    }
    badge.firstChild.textContent = String(unread);
  }

  async function poll() {
    if (document.visibilityState !== "visible") return;
    try {
      const response = await fetch(box.dataset.countUrl, { credentials: "same-origin" });
      if (response.ok) showCount((await response.json()).unread);
    } catch (error) { /* offline: try again at the next poll */ }
  }

  async function markSeen() {
    const form = panel.querySelector(".pen-bell-seen");
    if (!form) return;
    const response = await fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (response.ok) showCount((await response.json()).unread);
  }

  function close() {
    panel.hidden = true;
    bell.setAttribute("aria-expanded", "false");
  }

  async function open() {
    const response = await fetch(box.dataset.latestUrl, { credentials: "same-origin" });
    if (!response.ok) { window.location.href = bell.href; return; }
    panel.innerHTML = await response.text();  // the server's escaped template
    panel.hidden = false;
    bell.setAttribute("aria-expanded", "true");
    panel.querySelector("a")?.focus();
    await markSeen();
  }

  bell.addEventListener("click", (event) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    if (panel.hidden) open(); else close();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) { close(); bell.focus(); }
  });
  document.addEventListener("click", (event) => {
    if (!panel.hidden && !box.contains(event.target)) close();
  });
  window.addEventListener("focus", poll);
  setInterval(poll, POLL_MS);
})();
