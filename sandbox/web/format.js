// Telegram's formatting, drawn from a message's plain text and its entities.
//
// Nothing here parses HTML: every piece of text becomes a DOM text node, and only the
// elements below are ever created, so whatever a bot or a user writes shows as written.
// Entity offsets count UTF-16 code units, as JavaScript strings do.

const LINK_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** A URL a link may point at, or null (javascript:, data:, tg: and the like are refused). */
export function safeUrl(raw) {
  let url;
  try {
    url = new URL(raw.includes(":") ? raw : `http://${raw}`);
  } catch {
    return null;
  }
  return LINK_PROTOCOLS.has(url.protocol) ? url.href : null;
}

function link(href, title) {
  const safe = safeUrl(href);
  if (safe === null) {
    const span = document.createElement("span");
    span.className = "link-unsupported";
    span.title = title;
    return span;
  }
  const a = document.createElement("a");
  a.href = safe;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  a.title = title;
  return a;
}

/** The element for one entity: ``outer`` goes into the parent, text goes into ``inner``. */
function elementFor(entity, covered, actions) {
  const simple = { bold: "strong", italic: "em", underline: "u", strikethrough: "s", code: "code" };
  if (simple[entity.type]) {
    const el = document.createElement(simple[entity.type]);
    return { outer: el, inner: el };
  }
  switch (entity.type) {
    case "pre": {
      const pre = document.createElement("pre");
      const code = document.createElement("code");
      if (entity.language) code.dataset.language = entity.language;
      pre.append(code);
      return { outer: pre, inner: code };
    }
    case "blockquote":
    case "expandable_blockquote": {
      const quote = document.createElement("blockquote");
      if (entity.type === "expandable_blockquote") {
        quote.className = "expandable";
        quote.addEventListener("click", () => quote.classList.toggle("expanded"));
      }
      return { outer: quote, inner: quote };
    }
    case "spoiler": {
      const span = document.createElement("span");
      span.className = "spoiler";
      span.title = "Спойлер: нажмите, чтобы открыть · Spoiler: click to reveal";
      span.addEventListener("click", () => span.classList.add("revealed"));
      return { outer: span, inner: span };
    }
    case "text_link": {
      const a = link(String(entity.url || ""), String(entity.url || ""));
      return { outer: a, inner: a };
    }
    case "url": {
      const a = link(covered, covered);
      return { outer: a, inner: a };
    }
    case "email": {
      const a = link(`mailto:${covered}`, covered);
      return { outer: a, inner: a };
    }
    case "bot_command": {
      const a = document.createElement("a");
      a.href = "#";
      a.className = "command";
      a.addEventListener("click", (event) => {
        event.preventDefault();
        if (actions.onCommand) actions.onCommand(covered);
      });
      return { outer: a, inner: a };
    }
    default: {
      // mention, hashtag, cashtag, phone_number, text_mention, custom_emoji: shown, not active.
      const span = document.createElement("span");
      span.className = `entity-${String(entity.type).replace(/[^a-z_]/g, "")}`;
      return { outer: span, inner: span };
    }
  }
}

/**
 * Entities as a tree: a child lies inside its parent. Telegram's own entities nest properly;
 * ones a bot gave explicitly may overlap, and then the overlapping one is cut in two.
 */
function entityTree(text, entities) {
  const items = (entities || [])
    .filter((e) => e && Number.isInteger(e.offset) && Number.isInteger(e.length))
    .map((e) => ({
      entity: e,
      start: Math.max(0, e.offset),
      end: Math.min(text.length, e.offset + e.length),
    }))
    .filter((item) => item.end > item.start);
  const before = (a, b) => a.start - b.start || b.end - a.end;
  items.sort(before);
  const root = { start: 0, end: text.length, children: [] };
  const stack = [root];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    while (item.start >= stack[stack.length - 1].end) stack.pop();
    const parent = stack[stack.length - 1];
    if (item.end > parent.end) {
      const rest = { entity: item.entity, start: parent.end, end: item.end };
      item.end = parent.end;
      let at = i + 1;
      while (at < items.length && before(items[at], rest) <= 0) at++;
      items.splice(at, 0, rest);
    }
    const node = { ...item, children: [] };
    parent.children.push(node);
    stack.push(node);
  }
  return root;
}

function draw(text, node, into, actions) {
  let position = node.start;
  for (const child of node.children) {
    if (child.start > position) into.append(text.slice(position, child.start));
    const { outer, inner } = elementFor(child.entity, text.slice(child.start, child.end), actions);
    draw(text, child, inner, actions);
    into.append(outer);
    position = child.end;
  }
  if (position < node.end) into.append(text.slice(position, node.end));
}

/**
 * A message text (or caption) with its entities, as DOM nodes.
 * ``actions.onCommand(text)`` runs when a /command in the text is clicked.
 */
export function renderText(text, entities, actions = {}) {
  const fragment = document.createDocumentFragment();
  draw(String(text || ""), entityTree(String(text || ""), entities), fragment, actions);
  return fragment;
}
