// Reports waiting on the phone (IndexedDB) until the server has them. Each item carries
// the Idempotency-Key it was given when the person tapped "send": however many times it
// is sent again (lost answer, offline, app restarted), the server files one report.
import * as api from "../api.js";

const DB = "agglo-resident";
const STORE = "outbox";

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, action) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = action(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export const list = async () =>
  ((await run("readonly", (store) => store.getAll())) || []).sort((a, b) => a.created - b.created);
const put = (item) => run("readwrite", (store) => store.put(item));
export const discard = (key) => run("readwrite", (store) => store.delete(key));

// Written to the phone first: once this resolves, the report cannot be lost.
export async function add({ category, description, latitude, longitude, photos, answers = {} }) {
  const item = {
    key: crypto.randomUUID(),
    created: Date.now(),
    category, description, latitude, longitude, answers,
    // Blobs are stored as they are (a File's name is kept beside it).
    photos: photos.map((file) => ({ blob: file, name: file.name || "photo.jpg" })),
    state: "waiting",
    error: null,
  };
  await put(item);
  return item;
}

export const find = async (key) => (await list()).find((i) => i.key === key) || null;

// A refused report corrected by the person: the same item (and key: a refusal left nothing
// on the server), waiting again. New photos replace the old ones; none keeps them.
export async function update(key, { category, description, latitude, longitude, photos, answers = {} }) {
  const item = await find(key);
  if (!item) return add({ category, description, latitude, longitude, photos, answers });
  const kept = photos.length ? photos.map((file) => ({ blob: file, name: file.name || "photo.jpg" })) : item.photos;
  await put({ ...item, category, description, latitude, longitude, answers, photos: kept, state: "waiting", error: null });
  return item;
}

export async function retry(key) {
  const item = (await list()).find((i) => i.key === key);
  if (item) await put({ ...item, state: "waiting", error: null });
}

const temporary = (error) =>
  !(error instanceof api.ApiError) || error.status >= 500 || error.status === 429 || error.status === 401;

async function sendOne(item) {
  const form = new FormData();
  form.append("category", String(item.category));
  form.append("description", item.description);
  form.append("latitude", String(item.latitude));
  form.append("longitude", String(item.longitude));
  // The category's questions: one JSON object in the form, as the API documents.
  if (item.answers && Object.keys(item.answers).length) form.append("answers", JSON.stringify(item.answers));
  for (const photo of item.photos) form.append("photos", photo.blob, photo.name);
  return api.request("POST", "/signalements/", { form, headers: { "Idempotency-Key": item.key } });
}

// One pass at a time: a tap, the `online` event and the app's start may all ask at once.
// Passes run one after the other (never two sends of one item at the same time), and a
// pass asked for while another runs still sees the items added since.
let passes = Promise.resolve();

export function flush() {
  const pass = passes.then(sendWaiting);
  passes = pass.catch(() => {});
  return pass;
}

async function sendWaiting() {
  const outcome = { sent: [], refused: [], waiting: [] };
  for (const item of await list()) {
    if (item.state !== "waiting") continue;
    try {
      outcome.sent.push(await sendOne(item));
      await discard(item.key);
    } catch (error) {
      if (temporary(error)) {
        outcome.waiting.push(item);
      } else {
        // A refusal is the person's to read: kept until they send it again or discard it.
        await put({ ...item, state: "refused", error: { detail: error.message, fields: error.fields } });
        outcome.refused.push(item);
      }
    }
  }
  window.dispatchEvent(new CustomEvent("outbox:changed", { detail: outcome }));
  return outcome;
}
