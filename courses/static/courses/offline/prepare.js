// "Mis grupos": prepare the device for sessions without connection, or forget what it keeps.
//
// Preparing stores, for the trainer's open groups, the attendance sheet of each session of
// today and later (its roster: names and roster numbers) and its facilitator guide, as pages
// the service worker shows when there is no connection, plus the list of those sessions.
import { config, keepStorage, leaveDevice, say, when } from "./boot.js";
import { PAGES_CACHE, getPrepared, setMeta, setPrepared } from "./store.js";

const panel = document.getElementById("offline-panel");
const status = document.getElementById("offline-status");
const prepareButton = panel?.querySelector("[data-prepare]");
const forgetButton = panel?.querySelector("[data-forget]");

function show(text) {
  status.textContent = text;
}

async function describe() {
  const prepared = await getPrepared(config.user);
  if (!prepared) return show(say("notPrepared"));
  if (prepared.groups?.length) {
    return show(`${say("preparedAt", { when: when(prepared.preparedAt) })} ${say("communityGroups", { count: prepared.groups.length })}`);
  }
  const sessions = prepared.cohorts.reduce((total, cohort) => total + cohort.sessions.length, 0);
  const groups = say("groups", { count: prepared.cohorts.length });
  show(say("preparedOn", { when: when(prepared.preparedAt), groups, sessions: say("sessions", { count: sessions }) }));
}

async function store(url, cache) {
  const response = await fetch(url, { headers: { "X-Offline-Copy": "1" }, cache: "no-store" });
  if (!response.ok || response.redirected) throw new Error(`${url}: ${response.status}`);
  await cache.put(url, response);
}

async function prepare() {
  prepareButton.disabled = true;
  show(say("preparing"));
  try {
    const answer = await fetch(config.bundle, { headers: { Accept: "application/json" }, cache: "no-store" });
    if (!answer.ok) throw new Error(String(answer.status));
    const bundle = await answer.json();
    const cache = await caches.open(PAGES_CACHE);
    for (const url of bundle.pages) await store(url, cache);
    const kept = new Set(bundle.pages.map((url) => new URL(url, location.href).href));
    for (const request of await cache.keys()) {
      if (!kept.has(request.url)) await cache.delete(request); // sessions already past
    }
    await setMeta({ key: "owner", user: config.user, device: config.device });
    const persisted = await keepStorage();
    await setPrepared({
      user: config.user,
      preparedAt: bundle.prepared_at,
      cohorts: bundle.cohorts,
      groups: bundle.groups || [],
      pages: bundle.pages,
      persisted,
    });
    await describe();
  } catch {
    show(say("prepareFailed"));
  } finally {
    prepareButton.disabled = false;
  }
}

async function forget() {
  if (await leaveDevice(say("forget"))) show(say("forgotten"));
}

if (config && panel) {
  const capable = "serviceWorker" in navigator && "caches" in window && "indexedDB" in window;
  for (const hidden of panel.querySelectorAll("[data-needs-script]")) hidden.hidden = !capable;
  if (capable) {
    prepareButton.addEventListener("click", prepare);
    forgetButton.addEventListener("click", forget);
    describe().catch(() => show(say("notPrepared")));
  } else {
    show(say("unsupported"));
  }
}
