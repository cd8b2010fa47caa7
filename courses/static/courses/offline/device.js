// "This device": the sheets waiting in the outbox (with the choice screen for conflicts and the
// reasons of refused ones) and what "Prepare for offline" stored. Everything shown comes from
// the device, so the page works without connection.
import { config, refreshBadge, say, syncNow, when } from "./boot.js";
import { confirmDiscard } from "./dialogs.js";
import { allSheets, deleteSheets, getPrepared } from "./store.js";
import { resolveConflict } from "./sync.js";

const outbox = document.getElementById("outbox");
const prepared = document.getElementById("prepared");
const syncButton = document.getElementById("sync-now");
const syncStatus = document.getElementById("sync-status");

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== ""));
  return node;
}

const STATE_TEXT = { waiting: "stateWaiting", signin: "stateSignIn", refused: "stateRefused", conflict: "stateConflict" };

function version(label, side, extra = "") {
  return el("span", {}, el("strong", { textContent: `${label}: ` }), side.label, side.note ? ` (${side.note})` : "", extra);
}

function conflictForm(sheet) {
  const form = el("form", { className: "conflict" });
  for (const c of sheet.conflicts) {
    const name = `c-${c.enrollment}`;
    const by = ` · ${say("recordedBy", { name: c.server.recorded_by, when: c.server.when })}`;
    const option = (value, content) =>
      el("label", { className: "choice" }, el("input", { type: "radio", name, value, required: true }), " ", content);
    form.append(
      el(
        "fieldset",
        { className: "conflict-person" },
        el("legend", {}, el("span", { className: "code", textContent: `${c.roster_code} ` }), c.name),
        option("device", version(say("onDevice"), c.device)),
        option("server", version(say("onServer"), c.server, by)),
      ),
    );
  }
  form.append(el("p", {}, el("button", { type: "submit", textContent: say("sendChoices") })));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const choices = Object.fromEntries(sheet.conflicts.map((c) => [c.enrollment, form.elements[`c-${c.enrollment}`].value]));
    await resolveConflict(sheet, choices);
    await send();
  });
  return form;
}

function sheetCard(sheet) {
  const card = el("article", { className: `card sheet-item state-${sheet.state}`, id: `sheet-${sheet.uuid}` });
  const counted = sheet.kind === "replica" ? say("participants", { count: sheet.participants }) : say("marks", { count: sheet.marks.length });
  const facts = [say("savedOn", { when: when(sheet.savedAt) }), counted];
  if (sheet.origin === "paper") facts.push(say("fromPaper"));
  card.append(el("h3", { textContent: sheet.label }), el("p", { className: "muted", textContent: facts.join(" · ") }));
  card.append(el("p", { className: "state" }, el("strong", { textContent: say(STATE_TEXT[sheet.state]) }), " ", sheet.message || ""));
  if (sheet.state === "signin") card.append(el("p", {}, el("a", { href: config.login, textContent: say("signInAgain") })));
  if (sheet.problems?.length) card.append(el("ul", {}, ...sheet.problems.map((p) => el("li", { textContent: p }))));
  if (sheet.state === "conflict") card.append(conflictForm(sheet));
  const discard = el("button", { type: "button", className: "secondary", textContent: say("discard") });
  discard.addEventListener("click", async () => {
    if ((await confirmDiscard(1, say)) !== "discard") return;
    await deleteSheets([sheet.uuid]);
    await render();
  });
  card.append(el("p", { className: "actions" }, el("a", { className: "button secondary", href: sheet.sheetUrl, textContent: say("openSheet") }), discard));
  return card;
}

async function renderOutbox() {
  const sheets = await allSheets();
  const mine = sheets.filter((s) => s.user === config.user).sort((a, b) => a.savedAt.localeCompare(b.savedAt));
  const others = sheets.length - mine.length;
  outbox.replaceChildren(...mine.map(sheetCard));
  if (!mine.length) outbox.append(el("p", { textContent: say("outboxEmpty") }));
  if (others) outbox.append(el("p", { className: "muted", textContent: say("otherAccounts", { count: others }) }));
  syncButton.hidden = !mine.some((s) => s.state === "waiting" || s.state === "signin");
}

async function renderPrepared() {
  const record = await getPrepared(config.user);
  const status = document.getElementById("prepared-status");
  if (!record) {
    status.textContent = say("notPrepared");
    prepared.replaceChildren();
    return;
  }
  status.textContent = `${say("preparedAt", { when: when(record.preparedAt) })} ${say(record.persisted ? "persisted" : "notPersisted")}`;
  const groups = (record.groups || []).map((group) =>
    el("section", { className: "card" }, el("h3", { textContent: group.name }), el("p", {}, el("a", { href: group.form_url, textContent: say("recordReplica") }))),
  );
  prepared.replaceChildren(
    ...groups,
    ...record.cohorts.map((cohort) =>
      el(
        "section",
        { className: "card" },
        el("h3", { textContent: cohort.name }),
        el("p", { className: "muted", textContent: `${cohort.course} · ${cohort.place}` }),
        cohort.sessions.length
          ? el(
              "ul",
              { className: "prepared-sessions" },
              ...cohort.sessions.map((s) =>
                el(
                  "li",
                  {},
                  el("strong", { textContent: s.label }),
                  el("br"),
                  `${s.when}${s.place ? ` · ${s.place}` : ""} · ${say("sheetCode", { code: s.code })}`,
                  el("br"),
                  el("a", { href: s.sheet_url, textContent: say("attendanceSheet") }),
                  " · ",
                  el("a", { href: s.guide_url, textContent: say("guide") }),
                ),
              ),
            )
          : el("p", { textContent: say("noSessions") }),
      ),
    ),
  );
}

async function render() {
  await Promise.all([renderOutbox(), renderPrepared(), refreshBadge()]);
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

async function send() {
  syncStatus.textContent = say("sending");
  const outcome = await syncNow();
  const parts = [];
  if (outcome.sent.length) parts.push(say("sent", { count: outcome.sent.length }));
  if (outcome.stopped === "offline" || outcome.stopped === "unavailable") parts.push(say("noConnection"));
  if (outcome.stopped === "signed_out" || outcome.stopped === "csrf") parts.push(say("stateSignIn"));
  syncStatus.textContent = parts.join(" ");
  await render();
}

if (config) {
  document.getElementById("not-kept").hidden = location.pathname === config.device;
  syncButton.addEventListener("click", send);
  document.addEventListener("outbox-synced", () => render());
  render();
}
