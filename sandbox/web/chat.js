// The web chat: act as a person, talk to the bot through the sandbox's control API, and draw
// what the bot does as it happens, from the server-sent events of /sandbox/events.
//
// Everything shown is built with DOM calls and text nodes (see format.js): nothing the bot or
// a user sends is ever parsed as HTML.

import { renderText, safeUrl } from "./format.js";

const $ = (id) => document.getElementById(id);

const ui = {
  app: $("app"),
  peopleList: $("people-list"),
  peopleEmpty: $("people-empty"),
  strangerForm: $("stranger-form"),
  strangerId: $("stranger-id"),
  back: $("back"),
  botAvatar: $("bot-avatar"),
  botName: $("bot-name"),
  chatStatus: $("chat-status"),
  acting: $("acting"),
  messages: $("messages"),
  chatEmpty: $("chat-empty"),
  replyKeyboard: $("reply-keyboard"),
  commandMenu: $("command-menu"),
  composer: $("composer"),
  menuButton: $("menu-button"),
  fileInput: $("file-input"),
  text: $("text"),
  toast: $("toast"),
  alert: $("alert"),
  alertText: $("alert-text"),
  alertOk: $("alert-ok"),
};

const DEFAULT_PLACEHOLDER = ui.text.placeholder;
const ACTIONS = {
  typing: "печатает… · typing…",
  upload_document: "отправляет файл… · sending a file…",
  upload_photo: "отправляет фото… · sending a photo…",
};

const chat = {
  /** The user id the page acts as, or null before one is picked. */
  userId: null,
  directory: [],
  /** Ids entered by hand during this visit, shown in the list below the directory. */
  strangers: [],
  /** message_id -> message, deleted ones included (a reply keyboard may come from one). */
  messages: new Map(),
  commands: [],
  bot: null,
  source: null,
  /** The message whose one-time reply keyboard was used and is hidden now. */
  keyboardUsed: null,
  /** callback_query_id -> the pressed button, waiting for the bot's answer. */
  pending: new Map(),
  /** Answers that came before the sandbox told the page the id of the press they answer. */
  answeredEarly: new Set(),
  statusTimer: null,
  toastTimer: null,
};

// ------------------------------------------------------------------ people

function fullName(person) {
  return [person.first_name, person.last_name].filter(Boolean).join(" ");
}

function person(userId) {
  return chat.directory.find((p) => p.user_id === userId) || null;
}

function initials(name) {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => Array.from(word)[0])
    .join("");
  return letters.toUpperCase() || "?";
}

function avatar(name, id) {
  const el = document.createElement("span");
  el.className = `avatar color-${Math.abs(Number(id)) % 7}`;
  el.setAttribute("aria-hidden", "true");
  el.textContent = initials(name);
  return el;
}

function personButton(userId, name, subtitle) {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "person";
  button.dataset.userId = String(userId);
  if (userId === chat.userId) button.setAttribute("aria-current", "true");
  const text = document.createElement("span");
  text.className = "person-text";
  const nameEl = document.createElement("span");
  nameEl.className = "person-name";
  nameEl.textContent = name;
  const subtitleEl = document.createElement("span");
  subtitleEl.className = "person-subtitle";
  subtitleEl.textContent = subtitle;
  text.append(nameEl, subtitleEl);
  button.append(avatar(name, userId), text);
  button.addEventListener("click", () => choose(userId));
  item.append(button);
  return item;
}

function renderPeople() {
  const items = chat.directory.map((p) =>
    personButton(p.user_id, fullName(p), p.subtitle || `id ${p.user_id}`),
  );
  for (const id of chat.strangers) {
    if (person(id) === null) {
      items.push(personButton(id, `Незнакомец ${id}`, "нет в справочнике · not in the directory"));
    }
  }
  ui.peopleList.replaceChildren(...items);
  ui.peopleEmpty.hidden = items.length > 0;
}

function renderActing() {
  if (chat.userId === null) {
    ui.acting.textContent = "";
    return;
  }
  const p = person(chat.userId);
  const name = p ? fullName(p) : `Незнакомец · Stranger`;
  ui.acting.textContent = `Вы · You: ${name} (${chat.userId})`;
}

/** What the page sends with each update, so the bot sees the person's name. */
function profileFields() {
  const p = person(chat.userId);
  if (p === null) return {};
  const fields = { first_name: p.first_name };
  for (const name of ["last_name", "username", "language_code"]) {
    if (p[name]) fields[name] = p[name];
  }
  return fields;
}

function choose(userId) {
  chat.userId = userId;
  chat.messages = new Map();
  chat.commands = [];
  chat.keyboardUsed = null;
  chat.pending.clear();
  chat.answeredEarly.clear();
  ui.messages.replaceChildren();
  document.body.dataset.chat = "";
  history.replaceState(null, "", `#${userId}`);
  ui.app.classList.add("chatting");
  ui.chatEmpty.hidden = true;
  ui.composer.hidden = false;
  renderPeople();
  renderActing();
  renderCommands();
  renderReplyKeyboard();
  connect(userId);
  ui.text.focus();
}

// ------------------------------------------------------------------ talking to the sandbox

async function post(body) {
  let response;
  try {
    response = await fetch("/sandbox/updates", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch {
    showToast("Нет связи с песочницей · The sandbox does not answer");
    return null;
  }
  const result = await response.json().catch(() => ({}));
  if (!response.ok) {
    showToast(`Песочница отказала · The sandbox refused: ${result.error || response.status}`);
    return null;
  }
  return result;
}

function act(fields) {
  if (chat.userId === null) return Promise.resolve(null);
  return post({ user_id: chat.userId, ...profileFields(), ...fields });
}

function sendText(text) {
  return act({ text });
}

async function pressButton(messageId, button, element) {
  element.classList.add("pending");
  const result = await act({ callback_data: button.callback_data, message_id: messageId });
  if (result === null) {
    element.classList.remove("pending");
    return;
  }
  if (chat.answeredEarly.delete(result.callback_query_id)) {
    element.classList.remove("pending");
    return;
  }
  chat.pending.set(result.callback_query_id, element);
  // Telegram gives up on an unanswered press after a while, and so does the page.
  setTimeout(() => element.classList.remove("pending"), 15000);
}

function base64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

async function sendFile(file) {
  const content = base64(new Uint8Array(await file.arrayBuffer()));
  const fields = {
    document: {
      file_name: file.name,
      content_base64: content,
      ...(file.type ? { mime_type: file.type } : {}),
    },
  };
  const caption = ui.text.value.trim();
  if (caption) fields.caption = caption;
  if ((await act(fields)) !== null) ui.text.value = "";
}

// ------------------------------------------------------------------ the live stream

function connect(userId) {
  if (chat.source) chat.source.close();
  const query = userId === null ? "" : `?chat_id=${encodeURIComponent(userId)}`;
  const source = new EventSource(`/sandbox/events${query}`);
  chat.source = source;
  const on = (kind, handler) =>
    source.addEventListener(kind, (event) => {
      if (chat.source === source) handler(JSON.parse(event.data));
    });
  on("snapshot", applySnapshot);
  on("message", upsertMessage);
  on("callback_answer", showAnswer);
  on("chat_action", showAction);
  on("commands", setCommands);
  on("directory", (directory) => {
    chat.directory = directory;
    renderPeople();
    renderActing();
  });
  source.addEventListener("error", () => {
    if (chat.source === source) document.body.classList.add("offline");
  });
}

function applySnapshot(snapshot) {
  document.body.classList.remove("offline");
  chat.bot = snapshot.bot;
  renderBot();
  chat.directory = snapshot.directory;
  renderPeople();
  renderActing();
  if (snapshot.chat_id !== chat.userId) return;
  chat.messages = new Map(snapshot.messages.map((m) => [m.message_id, m]));
  ui.messages.replaceChildren(
    ...snapshot.messages.filter((m) => !m.deleted).map((m) => messageElement(m)),
  );
  setCommands(snapshot.commands);
  renderReplyKeyboard();
  scrollToEnd(true);
  document.body.dataset.chat = String(snapshot.chat_id ?? "");
}

function renderBot() {
  const name = chat.bot.first_name || "Bot";
  ui.botName.textContent = name;
  ui.botAvatar.className = `avatar bot-avatar color-${Math.abs(Number(chat.bot.id)) % 7}`;
  ui.botAvatar.textContent = initials(name);
  setStatus(null);
}

function setStatus(action) {
  clearTimeout(chat.statusTimer);
  const username = chat.bot && chat.bot.username ? `@${chat.bot.username} · ` : "";
  ui.chatStatus.textContent = action ? ACTIONS[action] || `${action}…` : `${username}бот · bot`;
  ui.chatStatus.classList.toggle("busy", Boolean(action));
  // Telegram shows an action for five seconds or until the bot's next message.
  if (action) chat.statusTimer = setTimeout(() => setStatus(null), 5000);
}

function showAction(data) {
  setStatus(data.action);
}

// ------------------------------------------------------------------ messages

function nearEnd() {
  const box = ui.messages;
  return box.scrollHeight - box.scrollTop - box.clientHeight < 80;
}

function scrollToEnd(force) {
  if (force || nearEnd()) ui.messages.scrollTop = ui.messages.scrollHeight;
}

function upsertMessage(view) {
  const wasNearEnd = nearEnd();
  chat.messages.set(view.message_id, view);
  const existing = ui.messages.querySelector(`[data-message-id="${Number(view.message_id)}"]`);
  if (view.deleted) {
    if (existing) existing.remove();
  } else if (existing) {
    existing.replaceWith(messageElement(view));
  } else {
    const later = [...ui.messages.children].find(
      (el) => Number(el.dataset.messageId) > view.message_id,
    );
    ui.messages.insertBefore(messageElement(view), later || null);
  }
  if (view.from && view.from.is_bot && !view.edit_date) setStatus(null);
  renderReplyKeyboard();
  scrollToEnd(wasNearEnd);
}

function clock(seconds) {
  return new Date(seconds * 1000).toLocaleTimeString("ru-RU", {
    hour: "2-digit",
    minute: "2-digit",
  });
}

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function fileUrl(fileId) {
  return `/sandbox/files/${encodeURIComponent(fileId)}`;
}

function documentLink(document_) {
  const link = document.createElement("a");
  link.className = "document";
  link.href = fileUrl(document_.file_id);
  const name = document_.file_name || "file";
  link.setAttribute("download", name);
  const icon = document.createElement("span");
  icon.className = "document-icon";
  icon.setAttribute("aria-hidden", "true");
  const label = document.createElement("span");
  label.className = "document-text";
  const nameEl = document.createElement("span");
  nameEl.className = "document-name";
  nameEl.textContent = name;
  const sizeEl = document.createElement("span");
  sizeEl.className = "document-size";
  sizeEl.textContent = formatSize(document_.file_size || 0);
  label.append(nameEl, sizeEl);
  link.append(icon, label);
  return link;
}

function photoElement(sizes) {
  const largest = sizes[sizes.length - 1];
  const img = document.createElement("img");
  img.className = "photo";
  img.src = fileUrl(largest.file_id);
  img.alt = "Фото · Photo";
  if (largest.width && largest.height) {
    img.width = largest.width;
    img.height = largest.height;
  }
  return img;
}

function note(text) {
  const el = document.createElement("div");
  el.className = "note";
  el.textContent = text;
  return el;
}

function replyQuote(original) {
  const quote = document.createElement("div");
  quote.className = "reply-quote";
  const who = document.createElement("div");
  who.className = "reply-author";
  who.textContent = original.from ? fullName(original.from) : "";
  const what = document.createElement("div");
  what.className = "reply-text";
  what.textContent = original.text || original.caption || (original.document ? "Файл" : "…");
  quote.append(who, what);
  return quote;
}

function messageElement(view) {
  const fromBot = Boolean(view.from && view.from.is_bot);
  const row = document.createElement("div");
  row.className = `message ${fromBot ? "from-bot" : "from-user"}`;
  row.dataset.messageId = String(view.message_id);
  const bubble = document.createElement("div");
  bubble.className = "bubble";
  if (view.reply_to_message) bubble.append(replyQuote(view.reply_to_message));
  if (view.photo && view.photo.length) bubble.append(photoElement(view.photo));
  if (view.document) bubble.append(documentLink(view.document));
  if (view.sticker) bubble.append(note(`Стикер · Sticker ${view.sticker.emoji || ""}`));
  if (view.voice) bubble.append(note(`Голосовое, ${view.voice.duration} с · Voice message`));
  if (view.contact) {
    const c = view.contact;
    bubble.append(note(`Контакт · Contact: ${fullName(c)} ${c.phone_number}`));
  }
  if (view.location) {
    const l = view.location;
    bubble.append(note(`Место · Location: ${l.latitude}, ${l.longitude}`));
  }
  const text = view.text ?? view.caption;
  if (text) {
    const body = document.createElement("div");
    body.className = "text";
    body.append(renderText(text, view.entities || view.caption_entities, { onCommand: sendText }));
    bubble.append(body);
  }
  const meta = document.createElement("span");
  meta.className = "meta";
  meta.textContent = view.edit_date
    ? `изменено · edited ${clock(view.edit_date)}`
    : clock(view.date || 0);
  bubble.append(meta);
  row.append(bubble);
  const keyboard = view.reply_markup && view.reply_markup.inline_keyboard;
  if (keyboard && keyboard.length) row.append(inlineKeyboard(view.message_id, keyboard));
  return row;
}

function inlineKeyboard(messageId, rows) {
  const keyboard = document.createElement("div");
  keyboard.className = "inline-keyboard";
  for (const row of rows) {
    const line = document.createElement("div");
    line.className = "keyboard-row";
    for (const button of row) line.append(inlineButton(messageId, button));
    keyboard.append(line);
  }
  return keyboard;
}

function inlineButton(messageId, button) {
  const url = button.url ? safeUrl(String(button.url)) : null;
  if (url !== null) {
    const link = document.createElement("a");
    link.className = "inline-button link-button";
    link.href = url;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    link.textContent = button.text;
    return link;
  }
  const el = document.createElement("button");
  el.type = "button";
  el.className = "inline-button";
  el.textContent = button.text;
  el.addEventListener("click", () => {
    if (button.callback_data) {
      pressButton(messageId, button, el);
    } else if (button.copy_text) {
      navigator.clipboard?.writeText(String(button.copy_text.text || ""));
      showToast("Скопировано · Copied");
    } else {
      showToast("Такая кнопка здесь не работает · This kind of button is not modelled here");
    }
  });
  return el;
}

// ------------------------------------------------------------------ keyboards and menus

function currentReplyKeyboard() {
  let current = null;
  const ordered = [...chat.messages.values()].sort((a, b) => a.message_id - b.message_id);
  for (const view of ordered) {
    const markup = view.sandbox_reply_keyboard;
    if (!markup) continue;
    if (markup.keyboard) current = { messageId: view.message_id, markup };
    else if (markup.remove_keyboard) current = null;
  }
  if (current && current.messageId === chat.keyboardUsed) return null;
  return current;
}

function renderReplyKeyboard() {
  const current = currentReplyKeyboard();
  ui.replyKeyboard.hidden = current === null;
  ui.text.placeholder =
    (current && current.markup.input_field_placeholder) || DEFAULT_PLACEHOLDER;
  if (current === null) {
    ui.replyKeyboard.replaceChildren();
    return;
  }
  const rows = current.markup.keyboard.map((row) => {
    const line = document.createElement("div");
    line.className = "keyboard-row";
    for (const raw of row) {
      const button = typeof raw === "string" ? { text: raw } : raw;
      const el = document.createElement("button");
      el.type = "button";
      el.className = "reply-button";
      el.textContent = button.text;
      el.addEventListener("click", () => {
        if (current.markup.one_time_keyboard) {
          chat.keyboardUsed = current.messageId;
          renderReplyKeyboard();
        }
        if (button.request_contact) act({ contact: {} });
        else if (button.request_location)
          act({ location: { latitude: 55.7963, longitude: 49.1088 } });
        else sendText(button.text);
      });
      line.append(el);
    }
    return line;
  });
  ui.replyKeyboard.replaceChildren(...rows);
}

function setCommands(commands) {
  chat.commands = commands || [];
  renderCommands();
}

function renderCommands() {
  ui.menuButton.hidden = chat.commands.length === 0;
  if (chat.commands.length === 0) ui.commandMenu.hidden = true;
  const items = chat.commands.map((command) => {
    const item = document.createElement("button");
    item.type = "button";
    item.className = "command-item";
    item.setAttribute("role", "menuitem");
    const name = document.createElement("span");
    name.className = "command-name";
    name.textContent = `/${command.command}`;
    const description = document.createElement("span");
    description.className = "command-description";
    description.textContent = command.description;
    item.append(name, description);
    item.addEventListener("click", () => {
      ui.commandMenu.hidden = true;
      sendText(`/${command.command}`);
    });
    return item;
  });
  ui.commandMenu.replaceChildren(...items);
}

// ------------------------------------------------------------------ answers to presses

function showToast(text) {
  clearTimeout(chat.toastTimer);
  ui.toast.textContent = text;
  ui.toast.hidden = false;
  chat.toastTimer = setTimeout(() => {
    ui.toast.hidden = true;
  }, 3000);
}

function showAlert(text) {
  ui.alertText.textContent = text;
  if (!ui.alert.open) ui.alert.showModal();
  ui.alertOk.focus();
}

function showAnswer(answer) {
  const button = chat.pending.get(answer.callback_query_id);
  if (button) button.classList.remove("pending");
  else chat.answeredEarly.add(answer.callback_query_id);
  chat.pending.delete(answer.callback_query_id);
  if (answer.url) showToast(`Бот предлагает открыть · The bot offers to open: ${answer.url}`);
  if (!answer.text) return;
  if (answer.show_alert) showAlert(answer.text);
  else showToast(answer.text);
}

// ------------------------------------------------------------------ wiring

ui.composer.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = ui.text.value;
  if (!text.trim()) return;
  ui.text.value = "";
  if ((await sendText(text)) === null) ui.text.value = text;
});

ui.text.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    ui.composer.requestSubmit();
  }
});

ui.fileInput.addEventListener("change", async () => {
  const [file] = ui.fileInput.files;
  ui.fileInput.value = "";
  if (file) await sendFile(file);
});

ui.menuButton.addEventListener("click", (event) => {
  event.stopPropagation();
  ui.commandMenu.hidden = !ui.commandMenu.hidden;
});

document.addEventListener("click", (event) => {
  if (!ui.commandMenu.contains(event.target)) ui.commandMenu.hidden = true;
});

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") ui.commandMenu.hidden = true;
});

ui.strangerForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const id = Number.parseInt(ui.strangerId.value, 10);
  if (!Number.isSafeInteger(id) || id <= 0) {
    showToast("Нужен положительный числовой id · A positive numeric id, please");
    return;
  }
  if (!chat.strangers.includes(id)) chat.strangers.push(id);
  ui.strangerId.value = "";
  choose(id);
});

ui.back.addEventListener("click", () => ui.app.classList.remove("chatting"));
ui.alertOk.addEventListener("click", () => ui.alert.close());

const fromAddress = /^#(\d{1,15})$/.exec(location.hash);
if (fromAddress) {
  const id = Number(fromAddress[1]);
  chat.strangers.push(id);
  choose(id);
} else {
  ui.composer.hidden = true;
  connect(null);
}
