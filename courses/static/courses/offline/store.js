// What the device keeps, in one IndexedDB database shared by the pages and the service worker:
//   outbox    attendance sheets waiting to be sent, by UUID; they outlive sign-out, and are
//             sent only under the account that recorded them
//   prepared  what "Prepare for offline" stored, one record per account
//   meta      "session": the signed-in account and its newest CSRF token;
//             "owner": whose prepared data and stored pages these are
// The stored pages themselves (attendance sheets, facilitator guides) live in Cache Storage.

export const PAGES_CACHE = "cem-pages";
const NAME = "cem-offline";

let opened;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function database() {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore("outbox", { keyPath: "uuid" }).createIndex("user", "user");
      db.createObjectStore("prepared", { keyPath: "user" });
      db.createObjectStore("meta", { keyPath: "key" });
    };
    request.onsuccess = () => {
      // A newer version of these scripts in another tab may need to upgrade the database.
      request.result.onversionchange = () => request.result.close();
      resolve(request.result);
    };
    request.onerror = () => reject(request.error);
  });
  return opened;
}

async function read(name, work) {
  const store = (await database()).transaction(name).objectStore(name);
  return promised(work(store));
}

// Resolves once the transaction is on disk ("strict"): a sheet saved is a sheet kept.
async function write(name, work) {
  const tx = (await database()).transaction(name, "readwrite", { durability: "strict" });
  work(tx.objectStore(name));
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
}

export const getMeta = (key) => read("meta", (store) => store.get(key));
export const setMeta = (record) => write("meta", (store) => store.put(record));
export const getPrepared = (user) => read("prepared", (store) => store.get(user));
export const setPrepared = (record) => write("prepared", (store) => store.put(record));
export const allSheets = () => read("outbox", (store) => store.getAll());
export const sheetsOf = (user) => read("outbox", (store) => store.index("user").getAll(user));
export const putSheet = (sheet) => write("outbox", (store) => store.put(sheet));
export const deleteSheets = (uuids) =>
  write("outbox", (store) => uuids.forEach((uuid) => store.delete(uuid)));

// A sheet saved again for the same session replaces the version still waiting: it holds
// the whole roster, so sending both would only apply the first and then overwrite it.
export async function queueSheet(sheet) {
  const waiting = await sheetsOf(sheet.user);
  const replaced = waiting.filter((s) => s.delivery === sheet.delivery).map((s) => s.uuid);
  await write("outbox", (store) => {
    replaced.forEach((uuid) => store.delete(uuid));
    store.put(sheet);
  });
}

// Everything but the outbox: prepared data, the session record, the owner, the stored pages.
export async function forgetPrepared() {
  await write("prepared", (store) => store.clear());
  await write("meta", (store) => store.clear());
  await caches.delete(PAGES_CACHE);
}
