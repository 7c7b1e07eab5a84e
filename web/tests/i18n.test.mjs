// Every part of the staff app names the same strings in French and English, with the
// same placeholders, and no two parts define the same key.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parts } from "../app/i18n.js";

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

for (const [name, { fr, en }] of Object.entries(parts)) {
  test(`messages/${name}.js: French and English have the same keys and placeholders`, () => {
    assert.deepEqual(Object.keys(en).sort(), Object.keys(fr).sort());
    for (const key of Object.keys(fr)) {
      assert.deepEqual(placeholders(en[key]), placeholders(fr[key]), key);
    }
  });
}

test("no two parts define the same key", () => {
  const seen = new Map();
  for (const [name, { fr }] of Object.entries(parts)) {
    for (const key of Object.keys(fr)) {
      assert.ok(!seen.has(key), `${key} is in messages/${seen.get(key)}.js and messages/${name}.js`);
      seen.set(key, name);
    }
  }
});
