// The attendance sheet, enhanced: a running tally, tapping a name moves to the next status,
// "All present" without a round trip, typed exceptions ("3A 7L") from a paper sheet, and, for
// trainers and coordinators, saving through the device's outbox so that no connection (or a
// failing one) loses nothing. Without this script the form posts as it always did.
import { config, keepStorage, queued, say, syncNow, when } from "../offline/boot.js";
import { queueSheet, sheetsOf } from "../offline/store.js";

const form = document.getElementById("sheet");
const fieldsets = [...form.querySelectorAll("fieldset.mark")];
const tallyLine = document.getElementById("tally");
const statusLine = document.getElementById("sheet-status");
const quick = document.getElementById("quick");
const paper = document.getElementById("from-paper");
const order = [...fieldsets[0].querySelectorAll("input[type=radio]")].map((radio) => radio.value);
const labels = Object.fromEntries(
  [...fieldsets[0].querySelectorAll(".seg label")].map((label, i) => [order[i], label.textContent.trim()]),
);

function tally() {
  const counts = {};
  for (const radio of form.querySelectorAll("input[type=radio]:checked")) counts[radio.value] = (counts[radio.value] || 0) + 1;
  tallyLine.textContent = order.map((value) => `${labels[value]}: ${counts[value] || 0}`).join(" · ");
}

function setStatus(fieldset, status) {
  const radio = fieldset.querySelector(`input[type=radio][value="${status}"]`);
  if (radio) radio.checked = true;
}

function cycle(legend) {
  const radios = [...legend.parentNode.querySelectorAll("input[type=radio]")];
  const current = Math.max(0, radios.findIndex((radio) => radio.checked));
  const next = radios[(current + 1) % radios.length];
  next.checked = true;
  next.focus();
  tally();
}

// "3A 7L 12E": roster number, then the status letter printed on the paper sheet.
function quickEntry() {
  const byNumber = new Map(fieldsets.map((fieldset) => [fieldset.dataset.number, fieldset]));
  const unknown = [];
  for (const token of (quick?.value || "").match(/\d+\s*[A-Za-z]|\S+/g) || []) {
    const match = /^(\d+)\s*([A-Za-z])$/.exec(token);
    const fieldset = match && byNumber.get(String(Number(match[1])));
    if (match && fieldset && order.includes(match[2].toUpperCase())) setStatus(fieldset, match[2].toUpperCase());
    else unknown.push(token);
  }
  tally();
  return unknown;
}

function show(text, link) {
  statusLine.replaceChildren(text);
  if (link) statusLine.append(" ", Object.assign(document.createElement("a"), link));
  statusLine.hidden = false;
  statusLine.scrollIntoView({ block: "nearest" });
}

function sheetFromForm() {
  return {
    uuid: crypto.randomUUID(), // made when the sheet is first saved, never when it opens
    user: config.user,
    delivery: Number(form.dataset.delivery),
    syncUrl: form.dataset.syncUrl,
    sheetUrl: location.pathname,
    label: form.dataset.label,
    savedAt: new Date().toISOString(),
    seenAt: form.dataset.seenAt,
    origin: paper?.checked ? "paper" : "device",
    state: "waiting",
    marks: fieldsets.map((fieldset) => ({
      enrollment: Number(fieldset.dataset.enrollment),
      uuid: crypto.randomUUID(),
      status: fieldset.querySelector("input[type=radio]:checked")?.value || "P",
      note: fieldset.querySelector("input[type=text]").value.trim(),
    })),
  };
}

const localDay = (date) => new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 10);

async function save(event) {
  event.preventDefault();
  const unknown = quickEntry();
  if (unknown.length) {
    show(say("quickUnknown", { tokens: unknown.join(" ") }));
    quick.focus();
    return;
  }
  if (localDay(new Date()) < localDay(new Date(form.dataset.when))) {
    show(say("tooEarly"));
    return;
  }
  const sheet = sheetFromForm();
  await queueSheet(sheet);
  keepStorage();
  const kept = say("keptOnDevice", { when: when(sheet.savedAt) });
  const toOutbox = { href: config.device, textContent: say("seeOutbox") };
  if (!navigator.onLine) {
    await queued();
    return show(kept, toOutbox);
  }
  show(say("sending"));
  const outcome = await syncNow({ notify: sheet.uuid });
  let answer = outcome.answers[sheet.uuid];
  if (!answer) {
    // Another round (another tab, the service worker) had it: gone from the outbox means sent.
    const waiting = (await sheetsOf(config.user)).some((s) => s.uuid === sheet.uuid);
    answer = { status: waiting ? "offline" : "saved" };
  }
  if (answer.status === "saved" || answer.status === "already_received") return location.assign(form.dataset.doneUrl);
  if (answer.status === "conflict") return location.assign(`${config.device}#sheet-${sheet.uuid}`);
  await queued(); // Background Sync tries again when the connection is back
  if (answer.status === "signed_out" || answer.status === "csrf") {
    return show(`${kept} ${say("stateSignIn")}`, { href: config.login, textContent: say("signInAgain") });
  }
  if (answer.status === "offline" || answer.status === "unavailable") return show(kept, toOutbox);
  show(`${say("stateRefused")} ${answer.message || ""}`, { href: `${config.device}#sheet-${sheet.uuid}`, textContent: say("seeOutbox") });
}

// A version saved on this device and not sent yet is what the trainer sees on reopening.
async function showWaiting() {
  const waiting = (await sheetsOf(config.user)).find((s) => s.delivery === Number(form.dataset.delivery));
  if (!waiting) return;
  const marks = new Map(waiting.marks.map((mark) => [String(mark.enrollment), mark]));
  for (const fieldset of fieldsets) {
    const mark = marks.get(fieldset.dataset.enrollment);
    if (!mark) continue;
    setStatus(fieldset, mark.status);
    fieldset.querySelector("input[type=text]").value = mark.note;
  }
  if (paper) paper.checked = waiting.origin === "paper";
  tally();
  show(say("waitingVersion", { when: when(waiting.savedAt) }), { href: `${config.device}#sheet-${waiting.uuid}`, textContent: say("seeOutbox") });
}

form.addEventListener("change", tally);
for (const legend of form.querySelectorAll("[data-cycle]")) legend.addEventListener("click", () => cycle(legend));
document.getElementById("all-present").addEventListener("click", (event) => {
  // With a script this only sets everyone to present; the trainer then taps the exceptions.
  event.preventDefault();
  for (const radio of form.querySelectorAll("input[type=radio][value=P]")) radio.checked = true;
  tally();
});
quick?.addEventListener("input", quickEntry);
// A session still to come, stored by "Prepare for offline", opens on its day by the device.
if (form.hidden && form.dataset.opensOn && localDay(new Date()) >= form.dataset.opensOn) form.hidden = false;
tally();
if (config && "indexedDB" in window) {
  form.addEventListener("submit", (event) => {
    save(event).catch(() => {
      // The device could not keep it: with connection, the form posts it as without a script.
      if (navigator.onLine) form.submit();
      else show(say("notKept"));
    });
  });
  showWaiting().catch(() => {});
}
