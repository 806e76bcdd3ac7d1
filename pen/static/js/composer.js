// The composer: a live preview beside the text (the server's own sanitised Markdown),
// "@" suggestions of members one may mention, and "Quote" of the selected words into the
// reply box on the same page. Without this script: the Preview button, typed mentions,
// and the Quote link to the reply page.
(() => {
  const csrf = (form) => form.querySelector("input[name=csrf_token]").value;
  const debounce = (fn, ms) => { let t; return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); }; };

  function livePreview(box, textarea) {
    const pane = document.createElement("section");
    pane.className = "pen-live-preview";
    pane.setAttribute("aria-live", "polite");
    const heading = document.createElement("h2");
    heading.className = "h6 text-muted";
    heading.textContent = box.dataset.previewLabel;
    const body = document.createElement("div");
    body.className = "pen-post-body";
    body.dir = "auto";
    pane.append(heading, body);
    box.append(pane);
    box.classList.add("pen-composer-live");
    const render = async () => {
      if (!textarea.value.trim()) { body.replaceChildren(); return; }
      const data = new FormData();
      data.set("csrf_token", csrf(textarea.form));
      data.set("body", textarea.value);
      try {
        const response = await fetch(box.dataset.previewUrl, {
          method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" },
        });
        const answer = await response.json();
        if (response.ok) body.innerHTML = answer.html;  // sanitised by the server, as stored
        else body.textContent = answer.error;
      } catch (error) { /* offline: the Preview button still works */ }
    };
    textarea.addEventListener("input", debounce(render, 700));
    if (textarea.value.trim()) render();
  }

  function mentions(box, textarea) {
    const list = document.createElement("ul");
    list.className = "pen-mentions list-unstyled";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    textarea.after(list);
    let active = -1;
    const partial = () => {
      const before = textarea.value.slice(0, textarea.selectionStart);
      const found = /(^|[\s(])@([\w.\-]{2,40})$/u.exec(before);
      return found ? found[2] : null;
    };
    const close = () => { list.hidden = true; list.replaceChildren(); active = -1; };
    const choose = (handle) => {
      const start = textarea.selectionStart;
      const typed = partial();
      const head = textarea.value.slice(0, start - typed.length) + handle + " ";
      textarea.value = head + textarea.value.slice(start);
      textarea.setSelectionRange(head.length, head.length);
      textarea.dispatchEvent(new Event("input"));
      close();
      textarea.focus();
    };
    const show = (members) => {
      list.replaceChildren(...members.map((member, i) => {
        const item = document.createElement("li");
        item.setAttribute("role", "option");
        item.id = `pen-mention-${i}`;
        item.textContent = `${member.name} (@${member.handle})`;
        item.dataset.handle = member.handle;
        item.addEventListener("mousedown", (event) => { event.preventDefault(); choose(member.handle); });
        return item;
      }));
      list.hidden = !members.length;
      active = -1;
    };
    const ask = debounce(async () => {
      const typed = partial();
      if (!typed) { close(); return; }
      const url = new URL(box.dataset.mentionUrl, window.location.href);
      url.searchParams.set("q", typed);
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (response.ok && partial() === typed) show((await response.json()).members);
      } catch (error) { close(); }
    }, 250);
    textarea.addEventListener("input", ask);
    textarea.addEventListener("blur", () => setTimeout(close, 150));
    textarea.addEventListener("keydown", (event) => {
      if (list.hidden) return;
      const items = [...list.children];
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        active = (active + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
        items.forEach((item, i) => item.setAttribute("aria-selected", i === active ? "true" : "false"));
        textarea.setAttribute("aria-activedescendant", items[active].id);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        choose(items[active].dataset.handle);
      } else if (event.key === "Escape") {
        close();
      }
    });
  }

  // Images pasted or dropped into the text: uploaded, cleaned by the server, linked.
  function pastedImages(box, textarea) {
    const problem = document.createElement("p");
    problem.className = "pen-composer-error text-danger small";
    problem.setAttribute("role", "alert");
    textarea.after(problem);
    const upload = async (file) => {
      const marker = `![${box.dataset.uploadingLabel} ${file.name}]()`;
      const at = textarea.selectionStart;
      textarea.setRangeText(marker, at, textarea.selectionEnd, "end");
      const data = new FormData();
      data.set("csrf_token", csrf(textarea.form));
      data.set("image", file, file.name || "pasted.png");
      let answer = { error: "" };
      try {
        const response = await fetch(box.dataset.imageUrl, {
          method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" },
        });
        answer = await response.json();
      } catch (error) { answer = { error: String(error) }; }
      textarea.value = textarea.value.replace(marker, answer.markdown || "");
      problem.textContent = answer.error || "";
      textarea.dispatchEvent(new Event("input"));
    };
    const take = (list, event) => {
      const found = [...(list || [])].filter((file) => file.type.startsWith("image/") || /\.svg$/i.test(file.name));
      if (!found.length) return;
      event.preventDefault();
      found.forEach(upload);
    };
    textarea.addEventListener("paste", (event) => take(event.clipboardData?.files, event));
    textarea.addEventListener("dragover", (event) => event.preventDefault());
    textarea.addEventListener("drop", (event) => take(event.dataTransfer?.files, event));
  }

  document.querySelectorAll(".pen-composer").forEach((box) => {
    const textarea = box.querySelector("textarea[name=body]");
    if (!textarea || box.dataset.ready) return;
    box.dataset.ready = "1";
    livePreview(box, textarea);
    mentions(box, textarea);
    pastedImages(box, textarea);
  });

  // Quote the words selected in a post into the reply box of this page.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.pen-quote");
    const reply = document.querySelector("#reply-heading ~ form textarea[name=body]");
    if (!link || !reply) return;
    const post = link.closest(".pen-post")?.querySelector(".pen-post-body");
    const selection = window.getSelection();
    const words = selection ? selection.toString().trim() : "";
    if (!words || !post || !post.contains(selection.anchorNode)) return;  // the link: whole post
    event.preventDefault();
    const quoted = words.split(/\r?\n/).map((line) => `> ${line}`.trimEnd()).join("\n");
    const gap = reply.value && !reply.value.endsWith("\n\n") ? (reply.value.endsWith("\n") ? "\n" : "\n\n") : "";
    reply.value += `${gap}${link.dataset.quoteHead}\n>\n${quoted}\n\n`;
    reply.dispatchEvent(new Event("input"));
    reply.focus();
    reply.setSelectionRange(reply.value.length, reply.value.length);
  });
})();
