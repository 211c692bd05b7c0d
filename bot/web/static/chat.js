// Wegweiser web chat: plain JavaScript, no build step, nothing loaded from elsewhere.
// Text from the server is only ever inserted as text nodes, never parsed as markup; links are built as elements.
"use strict";

(function () {
  const SESSION_KEY = "wegweiser.session";
  const RTL = new Set(["ar", "fa", "ps"]);
  const review = new URLSearchParams(window.location.search).get("review") === "1";

  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const textBox = document.getElementById("text");
  const languagePicker = document.getElementById("language");
  const locationButton = document.getElementById("share-location");
  const newButton = document.getElementById("new-conversation");

  let language = "";
  let busy = false;

  // --- session: random, per tab (sessionStorage is gone when the tab is closed) ---

  function newSessionId() {
    const bytes = new Uint8Array(18);
    window.crypto.getRandomValues(bytes);
    let id = "";
    for (const byte of bytes) {
      id += "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[byte & 63];
    }
    return id;
  }

  function sessionId() {
    let id = window.sessionStorage.getItem(SESSION_KEY);
    if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
      id = newSessionId();
      window.sessionStorage.setItem(SESSION_KEY, id);
    }
    return id;
  }

  // --- links: phone numbers, web addresses and e-mail addresses become <a> elements ---

  const LINK = /(https?:\/\/[^\s<>"']+|www\.[^\s<>"']+)|([\w.+-]+@[\w-]+(?:\.[\w-]+)+)|(\+?\d[\d \u00a0\-/()]{3,}\d|\b11[02]\b)/g;

  function trimTrailing(text) {
    const match = /[.,;:!?)\]]+$/.exec(text);
    return match ? [text.slice(0, match.index), match[0]] : [text, ""];
  }

  function link(href, label) {
    const anchor = document.createElement("a");
    anchor.href = href;
    anchor.textContent = label;
    anchor.dir = "ltr"; // numbers and addresses read left to right, also inside Arabic text
    anchor.rel = "noopener noreferrer";
    return anchor;
  }

  function linkify(text) {
    const fragment = document.createDocumentFragment();
    let last = 0;
    for (const match of text.matchAll(LINK)) {
      let [whole, url, mail, phone] = match;
      let tail = "";
      let node = null;
      if (url) {
        [whole, tail] = trimTrailing(whole);
        node = link(url.startsWith("www.") ? "https://" + whole : whole, whole);
        node.target = "_blank";
      } else if (mail) {
        [whole, tail] = trimTrailing(whole);
        node = link("mailto:" + whole, whole);
      } else if (phone) {
        const digits = phone.replace(/[^\d+]/g, "");
        const count = digits.replace(/\D/g, "").length;
        if (count >= 6 || digits === "110" || digits === "112") {
          node = link("tel:" + digits, phone);
          node.classList.add("phone");
        }
      }
      if (!node) continue;
      fragment.append(document.createTextNode(text.slice(last, match.index)));
      fragment.append(node);
      if (tail) fragment.append(document.createTextNode(tail));
      last = match.index + match[0].length;
    }
    fragment.append(document.createTextNode(text.slice(last)));
    return fragment;
  }

  // --- bubbles ---

  function scrollTo(element) {
    element.scrollIntoView({ block: "start", behavior: "smooth" });
  }

  // Names, numbers, addresses and links inside right-to-left text come isolated (FSI/LRI/RLI … PDI):
  // each such piece becomes a <bdi>, so it keeps its own direction and its neighbours keep theirs.
  const OPEN = { "\u2068": "auto", "\u2066": "ltr", "\u2067": "rtl" };
  const CLOSE = "\u2069";

  function isolate(line) {
    const root = document.createDocumentFragment();
    const stack = [root];
    let run = "";
    const flush = () => { if (run) stack[stack.length - 1].append(linkify(run)); run = ""; };
    for (const char of line) {
      if (OPEN[char]) {
        flush();
        const piece = document.createElement("bdi");
        piece.dir = OPEN[char];
        stack[stack.length - 1].append(piece);
        stack.push(piece);
      } else if (char === CLOSE) {
        flush();
        if (stack.length > 1) stack.pop();
      } else {
        run += char;
      }
    }
    flush();
    return root;
  }

  function paragraphs(text) {
    const body = document.createElement("div");
    body.className = "text";
    for (const line of text.split("\n")) {
      const paragraph = document.createElement("p");
      paragraph.append(isolate(line));
      body.append(paragraph);
    }
    return body;
  }

  function herBubble(text) {
    const bubble = document.createElement("div");
    bubble.className = "bubble her";
    bubble.dir = "auto";
    if (language) bubble.lang = language;
    bubble.append(paragraphs(text));
    log.append(bubble);
    scrollTo(bubble);
  }

  function noticeBubble(text) {
    const bubble = document.createElement("div");
    bubble.className = "bubble notice";
    bubble.setAttribute("role", "status");
    bubble.append(paragraphs(text));
    log.append(bubble);
    scrollTo(bubble);
  }

  function venueCard(venue) {
    // The address opens the phone's own map app (geo: URI), so nothing is loaded from a map service here.
    const card = document.createElement("div");
    card.className = "venue";
    const title = document.createElement("strong");
    title.textContent = venue.title;
    const map = link("geo:" + venue.latitude + "," + venue.longitude + "?q=" + encodeURIComponent(venue.address),
      "🗺\u00a0" + venue.address);
    map.dir = "auto";
    card.append(title, map);
    return card;
  }

  function documentLink(file) {
    // Made here from the text the server sent: nothing is fetched, nothing stays on a server.
    const anchor = document.createElement("a");
    anchor.className = "document";
    anchor.href = URL.createObjectURL(new Blob([file.content], { type: file.mime_type }));
    anchor.download = file.filename;
    anchor.dir = "ltr";
    anchor.textContent = "📅 " + file.filename;
    return anchor;
  }

  function botBubble(message, fallbackLanguage) {
    const bubble = document.createElement("div");
    bubble.className = "bubble bot";
    bubble.dir = message.dir === "rtl" ? "rtl" : "ltr";
    const lang = message.language || fallbackLanguage;
    if (lang) bubble.lang = lang;
    bubble.dataset.msgid = message.msgid || "";
    bubble.dataset.status = message.status || "";
    // The server gives each message the language and direction of its text (German when not yet
    // translated); German pieces inside a translated message come isolated.
    bubble.append(paragraphs(message.text));
    if (message.venue) bubble.append(venueCard(message.venue));
    if (message.document) bubble.append(documentLink(message.document));
    if (message.buttons && message.buttons.length) {
      const group = document.createElement("div");
      group.className = "buttons";
      group.setAttribute("role", "group");
      for (const button of message.buttons) {
        const element = document.createElement("button");
        element.type = "button";
        element.className = "choice";
        element.dir = "auto"; // a title not yet translated reads in its own direction
        element.textContent = button.title;
        element.dataset.payload = button.payload;
        element.addEventListener("click", () => choose(button, element));
        group.append(element);
      }
      bubble.append(group);
    }
    if (review) {
      const meta = document.createElement("code");
      meta.className = "meta";
      meta.dir = "ltr";
      meta.textContent = (message.msgid || "—") + " · " + (message.status || "—");
      bubble.append(meta);
    }
    return bubble;
  }

  // --- talking to the server ---

  // --- the page's own words, in her language ---

  let labels = {
    too_long: "Die Nachricht ist zu lang. · The message is too long.",
    failed: "Das hat nicht geklappt. Bitte noch einmal. · That did not work, please try again.",
    offline: "Keine Verbindung. Bitte noch einmal. · No connection, please try again.\n"
      + "Notruf / Emergency: 110 · Hilfetelefon Gewalt gegen Frauen: 116 016",
    no_location: "Standort ist nicht verfügbar. · Location is not available.",
  };

  async function loadLabels(code) {
    try {
      const response = await fetch("/api/labels?language=" + encodeURIComponent(code), { cache: "no-store" });
      if (!response.ok) return;
      const reply = await response.json();
      if (reply.language !== language) return;
      labels = Object.assign({}, labels, reply.labels);
      const named = (id, key) => {
        const element = document.getElementById(id);
        if (element && labels[key]) { element.setAttribute("aria-label", labels[key]); element.title = labels[key]; }
      };
      named("new-conversation", "new_conversation");
      named("share-location", "share_location");
      named("send", "send");
      log.setAttribute("aria-label", labels.conversation || "");
      textBox.setAttribute("aria-label", labels.message || "");
    } catch (error) {
      // keep the words the page has
    }
  }

  function setLanguage(code, dir) {
    if (!code) return;
    if (code !== language) {
      language = code;
      loadLabels(code);
    }
    document.documentElement.lang = code;
    document.documentElement.dir = dir || (RTL.has(code) ? "rtl" : "ltr");
    if ([...languagePicker.options].some((option) => option.value === code)) {
      languagePicker.value = code;
    }
  }

  function setBusy(value) {
    busy = value;
    log.setAttribute("aria-busy", value ? "true" : "false");
    document.body.classList.toggle("busy", value);
    for (const control of document.querySelectorAll("button, select")) control.disabled = value;
  }

  async function send(body) {
    if (busy) return;
    setBusy(true);
    const typing = document.createElement("div");
    typing.className = "bubble typing";
    typing.setAttribute("aria-hidden", "true");
    typing.textContent = "…";
    log.append(typing);
    try {
      const response = await fetch("/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        cache: "no-store",
        body: JSON.stringify(Object.assign({ session: sessionId(), language_hint: language || navigator.language || "" }, body)),
      });
      typing.remove();
      if (!response.ok) {
        // A failed turn still brings the emergency numbers in her language (served without the database).
        const failed = await response.json().catch(() => ({}));
        const help = Array.isArray(failed.messages) ? failed.messages : [];
        if (!help.length) noticeBubble(response.status === 413 ? labels.too_long : labels.failed);
        let first = null;
        for (const message of help) {
          const bubble = botBubble(message, language);
          log.append(bubble);
          first = first || bubble;
        }
        if (first) scrollTo(first);
        return;
      }
      const reply = await response.json();
      const dir = reply.dir === "rtl" ? "rtl" : "ltr";
      if (reply.language) setLanguage(reply.language, dir);
      else document.documentElement.dir = dir;
      if (reply.messages.some((message) => message.effect === "delete_traces")) {
        log.replaceChildren(); // she asked to wipe the conversation from this screen
      }
      let first = null;
      for (const message of reply.messages) {
        const bubble = botBubble(message, language);
        log.append(bubble);
        first = first || bubble;
      }
      if (first) scrollTo(first);
    } catch (error) {
      typing.remove();
      noticeBubble(labels.offline);
    } finally {
      setBusy(false);
    }
  }

  function choose(button, element) {
    if (busy) return;
    element.setAttribute("aria-pressed", "true");
    herBubble(button.title);
    send({ payload: button.payload });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = textBox.value;
    if (!text.trim() || busy) return;
    textBox.value = "";
    herBubble(text);
    send({ text: text });
  });

  languagePicker.addEventListener("change", () => {
    const option = languagePicker.selectedOptions[0];
    if (!option || !option.value) return;
    // Turn the page at once; the reply's own language and direction follow and win.
    setLanguage(option.value);
    herBubble(option.textContent);
    send({ payload: "lang:" + option.value });
  });

  locationButton.addEventListener("click", () => {
    if (busy) return;
    if (!navigator.geolocation) {
      noticeBubble(labels.no_location);
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (position) => {
        herBubble("📍");
        send({ location: { latitude: position.coords.latitude, longitude: position.coords.longitude } });
      },
      () => noticeBubble(labels.no_location),
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 },
    );
  });

  // A new conversation erases the old one on the server too; if that fails, retention erases it later.
  newButton.addEventListener("click", async () => {
    if (busy) return;
    const old = sessionId();
    window.sessionStorage.setItem(SESSION_KEY, newSessionId());
    log.replaceChildren();
    try {
      await fetch("/api/session", {
        method: "DELETE",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ session: old }),
      });
    } catch (_) {
      // offline: nothing more to do here
    }
    send({ start: true });
  });

  if (review) document.body.classList.add("review");
  send({ start: true });
})();
