// Ask before a destructive action: a form marked data-confirm opens a dialog with the
// question; "yes" posts the form with confirmed=1, "cancel" or Escape does nothing.
// Without this script the server answers the form with a confirm page instead.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (!form || form.dataset.confirmed === "1") return;
  event.preventDefault();
  const dialog = confirmDialog();
  dialog.querySelector(".pen-confirm-question").textContent = form.dataset.confirm;
  dialog.querySelector(".pen-confirm-yes").textContent = form.dataset.confirmYes;
  dialog.querySelector(".pen-confirm-no").textContent = form.dataset.confirmNo;
  dialog.onclose = () => { if (dialog.returnValue === "yes") postConfirmed(form, event.submitter); };
  dialog.returnValue = "";
  dialog.showModal();
  dialog.querySelector(".pen-confirm-no").focus();  // the safe choice first
});

// The one dialog of the page, made the first time it is needed.
function confirmDialog() {
  let dialog = document.querySelector("dialog.pen-confirm-dialog");
  if (dialog) return dialog;
  dialog = document.createElement("dialog");
  dialog.className = "pen-confirm-dialog";
  dialog.setAttribute("aria-labelledby", "pen-confirm-question");
  dialog.innerHTML = '<form method="dialog"><p class="pen-confirm-question" id="pen-confirm-question"></p>'
    + '<div class="d-flex flex-wrap gap-2 justify-content-end">'
    + '<button value="no" class="btn btn-outline-secondary pen-confirm-no"></button>'
    + '<button value="yes" class="btn btn-danger pen-confirm-yes"></button></div></form>';
  document.body.append(dialog);
  return dialog;
}

// Post the form as confirmed, keeping the pressed button's name and value.
function postConfirmed(form, submitter) {
  const extra = [["confirmed", "1"]];
  if (submitter && submitter.name) extra.push([submitter.name, submitter.value]);
  for (const [name, value] of extra) {
    const input = document.createElement("input");
    Object.assign(input, { type: "hidden", name, value });
    form.append(input);
  }
  form.dataset.confirmed = "1";
  form.submit();
}
