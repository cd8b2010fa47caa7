// Sending the outbox: used by the pages and by the service worker (no DOM here).
//
// The outbox holds attendance sheets and, for activists of the cascade, replica sessions
// (`kind: "replica"`), sent to their own endpoint with the same answers. Each waiting sheet of the signed-in account goes to its session's endpoint with the
// account's newest CSRF token. What the answer means for the sheet:
//   saved, already_received    it is on the server: it leaves the outbox
//   no answer, 5xx             it waits; the round stops (no connection, or server trouble)
//   signed_out, csrf           it waits for a new sign-in; the round stops
//   wrong_account              it waits for its own account (not sent under another one)
//   conflict                   it waits for the trainer's choice, person by person
//   anything else              refused, with the server's reason, until the trainer discards it
import { PAGES_CACHE, deleteSheets, putSheet, sheetsOf } from "./store.js";

const FINAL = new Set(["saved", "already_received"]);
const SIGN_IN = new Set(["signed_out", "csrf"]);

// A replica session of the cascade travels as multipart: its JSON and, if any, its photo.
function replicaBody(record) {
  const body = new FormData();
  body.append("replica", JSON.stringify({ ...record.replica, uuid: record.uuid, recorded_by: record.user, device_time: record.savedAt }));
  if (record.photo) body.append("photo", record.photo, record.photoName || "foto");
  return body;
}

function payload(sheet, notify) {
  return JSON.stringify({
    uuid: sheet.uuid,
    recorded_by: sheet.user,
    origin: sheet.origin,
    device_time: sheet.savedAt,
    seen_at: sheet.seenAt || null,
    marks: sheet.marks,
    notify,
  });
}

async function post(sheet, csrf, notify) {
  let response;
  try {
    const replica = sheet.kind === "replica";
    const headers = { Accept: "application/json", "X-CSRFToken": csrf };
    if (!replica) headers["Content-Type"] = "application/json";
    response = await fetch(sheet.syncUrl, {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers,
      body: replica ? replicaBody(sheet) : payload(sheet, notify),
    });
  } catch {
    return { status: "offline" };
  }
  try {
    return await response.json();
  } catch {
    return { status: "unavailable" };
  }
}

// The device's copy of the sheet page is refreshed, so reopening it shows what was saved.
async function refreshCopy(url) {
  try {
    const cache = await caches.open(PAGES_CACHE);
    if (!(await cache.match(url, { ignoreVary: true }))) return;
    const response = await fetch(url, { headers: { "X-Offline-Copy": "1" }, cache: "no-store" });
    if (response.ok && !response.redirected) await cache.put(url, response);
  } catch {
    // The old copy stays; the next "Prepare for offline" replaces it.
  }
}

async function round({ user, csrf, notify }) {
  const outcome = { sent: [], stopped: null, answers: {} };
  const sheets = (await sheetsOf(user)).filter((s) => s.state === "waiting" || s.state === "signin");
  sheets.sort((a, b) => a.savedAt.localeCompare(b.savedAt));
  for (const [index, sheet] of sheets.entries()) {
    const answer = await post(sheet, csrf, sheet.uuid === notify);
    outcome.answers[sheet.uuid] = answer;
    if (FINAL.has(answer.status)) {
      await deleteSheets([sheet.uuid]);
      outcome.sent.push(sheet);
      await refreshCopy(sheet.refreshUrl || sheet.sheetUrl);
      continue;
    }
    if (answer.status === "offline" || answer.status === "unavailable" || SIGN_IN.has(answer.status)) {
      if (SIGN_IN.has(answer.status)) {
        for (const waiting of sheets.slice(index)) await putSheet({ ...waiting, state: "signin" });
      }
      outcome.stopped = answer.status;
      break;
    }
    if (answer.status === "wrong_account") continue;
    const next = { ...sheet, tried: new Date().toISOString(), message: answer.message || "" };
    if (answer.status === "conflict") {
      Object.assign(next, { state: "conflict", conflicts: answer.conflicts, serverTime: answer.server_time });
    } else {
      Object.assign(next, { state: "refused", code: answer.code || answer.status, problems: answer.problems || [] });
    }
    await putSheet(next);
  }
  return outcome;
}

// One round at a time per device (pages, tabs and the service worker share the lock).
export function syncOutbox(options) {
  const locks = globalThis.navigator?.locks;
  return locks ? locks.request("cem-outbox", () => round(options)) : round(options);
}

// The trainer chose, person by person, between the device's mark and the server's one.
export async function resolveConflict(sheet, choices) {
  const server = new Map(sheet.conflicts.map((c) => [c.enrollment, c.server]));
  const marks = sheet.marks.map((mark) => {
    if (choices[mark.enrollment] !== "server") return mark;
    const kept = server.get(mark.enrollment);
    return { ...mark, status: kept.status, note: kept.note };
  });
  // The server's time of the answer: marks changed before it were seen and chosen between.
  await putSheet({ ...sheet, marks, seenAt: sheet.serverTime, state: "waiting", conflicts: [] });
}
