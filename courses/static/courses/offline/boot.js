// Every page of a trainer or coordinator: registers the service worker, remembers the signed-in
// account for the outbox, shows the outbox badge, sends waiting sheets whenever there is
// connection (page open, the `online` event, Background Sync where the browser has it), and
// wipes the prepared data on sign-out: never the unsent sheets without asking.
import { ask, askAboutUnsent } from "./dialogs.js";
import { deleteSheets, forgetPrepared, getMeta, setMeta, sheetsOf } from "./store.js";
import { syncOutbox } from "./sync.js";

const element = document.getElementById("offline-config");
export const config = element ? JSON.parse(element.textContent) : null;
const strings = config?.strings ?? {};

// Translations come from the server (Django's catalogue); a plural is {one, other}.
export function say(key, values = {}) {
  let text = strings[key] ?? key;
  if (typeof text === "object") text = values.count === 1 ? text.one : text.other;
  return text.replace(/%\((\w+)\)s/g, (_, name) => values[name] ?? "");
}

export function when(iso) {
  const format = { dateStyle: "medium", timeStyle: "short" };
  return new Intl.DateTimeFormat(document.documentElement.lang || undefined, format).format(new Date(iso));
}

export async function refreshBadge() {
  const badge = document.getElementById("outbox-badge");
  if (!badge) return;
  const sheets = await sheetsOf(config.user);
  const attention = sheets.some((sheet) => sheet.state !== "waiting");
  badge.textContent = say("badge", { count: sheets.length }) + (attention ? ` · ${say("badgeAttention")}` : "");
  badge.classList.toggle("attention", attention);
  badge.hidden = sheets.length === 0;
}

// With the account's newest token: a page rendered after a new sign-in brought a fresh one.
export async function syncNow({ notify } = {}) {
  const session = await getMeta("session");
  const csrf = session?.user === config.user ? session.csrf : config.csrf;
  const outcome = await syncOutbox({ user: config.user, csrf, notify });
  await refreshBadge();
  document.dispatchEvent(new CustomEvent("outbox-synced", { detail: outcome }));
  return outcome;
}

// Asks the browser not to evict the outbox when space runs short.
export async function keepStorage() {
  try {
    return (await navigator.storage?.persist?.()) ?? false;
  } catch {
    return false;
  }
}

// A sheet was put in the outbox: Background Sync sends it even if every page is closed.
export async function queued() {
  try {
    const registration = await navigator.serviceWorker?.getRegistration();
    await registration?.sync?.register("cem-outbox");
  } catch {
    // No Background Sync: the `online` event and opening a page send it.
  }
  await refreshBadge();
}

// Sign-out and "Forget this device's data" go through here.
export async function leaveDevice(action) {
  let note = "";
  for (;;) {
    const unsent = await sheetsOf(config.user);
    if (!unsent.length) break;
    const choice = await askAboutUnsent(unsent.length, action, say, note);
    if (choice === "cancel") return false;
    if (choice === "keep") break;
    if (choice === "discard") {
      await deleteSheets(unsent.map((sheet) => sheet.uuid));
      break;
    }
    await syncNow();
    note = say("stillUnsent");
  }
  await forgetPrepared();
  await refreshBadge();
  return true;
}

async function remember() {
  const owner = await getMeta("owner");
  if (owner && owner.user !== config.user) await forgetPrepared(); // another account's rosters
  const session = await getMeta("session");
  if (!session || session.user !== config.user || Date.parse(session.at) < Date.parse(config.at)) {
    await setMeta({ key: "session", user: config.user, csrf: config.csrf, at: config.at });
  }
}

// `navigator.onLine` says only that there is a network, not that the server answers.
async function reachable() {
  try {
    await fetch(config.sw, { method: "HEAD", cache: "no-store" });
    return true;
  } catch {
    return false;
  }
}

function guardSignOut() {
  for (const form of document.querySelectorAll("form[data-sign-out]")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!(await reachable())) {
        // The server ends the session: without it the phone would only show an error page.
        await ask({ title: say("signOutOffline"), text: say("signOutOfflineText"), choices: [["cancel", say("goBack")]] });
      } else if (await leaveDevice(say("signOut"))) {
        form.submit();
      }
    });
  }
}

async function start() {
  navigator.serviceWorker?.register(config.sw, { scope: "/", type: "module" }).catch(() => {});
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data === "outbox-changed") refreshBadge();
  });
  guardSignOut();
  await remember();
  await refreshBadge();
  window.addEventListener("online", () => syncNow());
  if (navigator.onLine) await syncNow();
}

if (config) {
  start().catch(() => {
    // Without IndexedDB (some private windows) the pages work as they do without scripts.
  });
}
