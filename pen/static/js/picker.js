// Document pickers (macros/picker.html): while the organiser types, the library suggests
// the documents they may open; choosing one adds it to the chosen list as a checked box
// (or the one radio). Without this script, "Search the library" posts the form and the
// page comes back with the matches to choose from.
for (const picker of document.querySelectorAll(".pen-picker[data-picker-url]")) {
  const input = picker.querySelector(".pen-picker-search input");
  const found = picker.querySelector(".pen-picker-found");
  let timer = null;
  let asked = 0;
  const suggest = async () => {
    const words = input.value.trim();
    const ticket = ++asked;
    if (!words) { found.replaceChildren(); return; }
    const url = new URL(picker.dataset.pickerUrl, location.href);
    url.searchParams.set("q", words);
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok || ticket !== asked) return;
    show(picker, found, (await response.json()).documents);
  };
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(suggest, 250); });
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();  // Enter searches; it does not post the form
    clearTimeout(timer);
    suggest();
  });
}

// The suggestions: one button per document not chosen yet, or a line saying none match.
function show(picker, found, documents) {
  const chosen = new Set([...picker.querySelectorAll(".pen-picker-chosen input:checked")].map((i) => i.value));
  const list = document.createElement("ul");
  list.className = "list-unstyled";
  for (const doc of documents.filter((d) => !chosen.has(String(d.id)))) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-link btn-sm p-0 text-start";
    button.append(label(doc));
    button.addEventListener("click", () => { choose(picker, doc); button.closest("li").remove(); });
    const item = document.createElement("li");
    item.append(button);
    list.append(item);
  }
  if (!list.children.length) {
    const none = document.createElement("p");
    none.className = "small text-body-secondary";
    none.textContent = picker.dataset.pickerEmpty;
    found.replaceChildren(none);
  } else {
    found.replaceChildren(list);
  }
}

// A document's label: its title (in its own direction), then language and date.
function label(doc) {
  const wrap = document.createElement("span");
  const title = document.createElement("span");
  title.dir = "auto";
  title.textContent = doc.title;
  const detail = document.createElement("span");
  detail.className = "text-body-secondary small";
  detail.textContent = ` (${[doc.language, doc.date].filter(Boolean).join(", ")})`;
  wrap.append(title, detail);
  return wrap;
}

// Add the document to the chosen list, checked (the one radio, for a single document).
function choose(picker, doc) {
  const name = picker.dataset.pickerName;
  const multiple = picker.dataset.pickerMultiple === "1";
  const id = `${name}-${doc.id}`;
  let input = document.getElementById(id);
  if (!input) {
    const item = document.createElement("li");
    item.className = "form-check";
    input = Object.assign(document.createElement("input"), {
      className: "form-check-input", type: multiple ? "checkbox" : "radio", name, id, value: doc.id,
    });
    const text = document.createElement("label");
    text.className = "form-check-label";
    text.htmlFor = id;
    text.append(label(doc));
    item.append(input, text);
    picker.querySelector(".pen-picker-chosen").append(item);
  }
  input.checked = true;
  input.focus();
}
