// The replica session form, through the device's outbox: saved on the phone first (with its
// photo, as a Blob in IndexedDB) and sent when there is connection, so a session recorded
// where there is no signal is never lost. Without this script the form posts as it always did.
import { config, keepStorage, queued, say, syncNow, when } from "../offline/boot.js";
import { putSheet, sheetsOf } from "../offline/store.js";

const form = document.getElementById("replica-form");
const statusLine = document.getElementById("replica-status");

function show(text, link) {
  statusLine.replaceChildren(text);
  if (link) statusLine.append(" ", Object.assign(document.createElement("a"), link));
  statusLine.hidden = false;
  statusLine.scrollIntoView({ block: "nearest" });
}

function number(name) {
  const value = form.elements[name]?.value ?? "";
  return value === "" ? 0 : Number(value);
}

function replicaFromForm() {
  const counts = {};
  for (const input of form.querySelectorAll("input.count")) counts[input.name] = number(input.name);
  const attendees = (form.elements.attendees?.value || "").split("\n").map((n) => n.trim()).filter(Boolean);
  return {
    held_on: form.elements.held_on.value,
    duration_minutes: number("duration_minutes"),
    place: form.elements.place.value.trim(),
    sessions: [...form.querySelectorAll("input[name=sessions]:checked")].map((box) => Number(box.value)),
    counts,
    attendees,
    notes: form.elements.notes.value.trim(),
  };
}

async function save(event) {
  event.preventDefault();
  if (!form.reportValidity()) return;
  const photo = form.elements.photo?.files?.[0] || null;
  const replica = replicaFromForm();
  const participants = Object.entries(replica.counts)
    .filter(([name]) => !name.startsWith("first_"))
    .reduce((total, [, value]) => total + value, 0);
  const record = {
    kind: "replica",
    uuid: crypto.randomUUID(), // made when the session is first saved, never when the form opens
    user: config.user,
    syncUrl: form.dataset.syncUrl,
    sheetUrl: location.pathname,
    refreshUrl: form.dataset.doneUrl.split("#")[0],
    label: `${form.dataset.label} · ${replica.held_on}`,
    savedAt: new Date().toISOString(),
    state: "waiting",
    participants,
    marks: [],
    replica,
    photo,
    photoName: photo?.name || "",
  };
  await putSheet(record);
  keepStorage();
  const kept = say("replicaKept", { when: when(record.savedAt) });
  const toOutbox = { href: config.device, textContent: say("seeOutbox") };
  if (!navigator.onLine) {
    await queued();
    return show(kept, toOutbox);
  }
  show(say("sending"));
  const outcome = await syncNow({ notify: record.uuid });
  let answer = outcome.answers[record.uuid];
  if (!answer) {
    const waiting = (await sheetsOf(config.user)).some((s) => s.uuid === record.uuid);
    answer = { status: waiting ? "offline" : "saved" };
  }
  if (answer.status === "saved" || answer.status === "already_received") return location.assign(form.dataset.doneUrl);
  await queued();
  if (answer.status === "signed_out" || answer.status === "csrf") {
    return show(`${kept} ${say("stateSignIn")}`, { href: config.login, textContent: say("signInAgain") });
  }
  if (answer.status === "offline" || answer.status === "unavailable") return show(kept, toOutbox);
  show(`${say("stateRefused")} ${answer.message || ""}`, { href: `${config.device}#sheet-${record.uuid}`, textContent: say("seeOutbox") });
}

if (form && config && "indexedDB" in window && globalThis.crypto?.randomUUID) {
  form.addEventListener("submit", (event) => {
    save(event).catch(() => {
      // The device could not keep it: with connection, the form posts it as without a script.
      if (navigator.onLine) form.submit();
      else show(say("notKept"));
    });
  });
}
