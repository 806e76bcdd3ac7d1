// Reactions without a reload: the form posts as usual, asking for JSON, and the button
// shows the new state. Without this script the same form reloads the page.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest(".pen-react-form");
  if (!form) return;
  event.preventDefault();
  const button = event.submitter || form.querySelector("button");
  const body = new FormData(form);
  body.set(button.name, button.value);
  button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: "POST", body, headers: { Accept: "application/json" }, credentials: "same-origin",
    });
    if (!response.ok) { submitPlainly(form, button); return; }  // the server's page explains
    const state = await response.json();
    button.setAttribute("aria-pressed", state.given ? "true" : "false");
    button.classList.toggle("btn-primary", state.given);
    button.classList.toggle("btn-outline-secondary", !state.given);
    button.querySelector(".pen-react-count").textContent = state.count;
    if (state.names.length) button.title = state.names.join(", ");
  } finally {
    button.disabled = false;
  }
});

// Post the form the ordinary way (submit() fires no event, so this script stays out).
function submitPlainly(form, button) {
  const kind = document.createElement("input");
  Object.assign(kind, { type: "hidden", name: button.name, value: button.value });
  form.append(kind);
  form.submit();
}
