// Both dictionaries of the staff app name the same strings, with the same placeholders.
import assert from "node:assert/strict";
import { test } from "node:test";
import { dictionaries } from "../app/i18n.js";

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("French and English have the same keys and placeholders", () => {
  const { fr, en } = dictionaries;
  assert.deepEqual(Object.keys(en).sort(), Object.keys(fr).sort());
  for (const key of Object.keys(fr)) {
    assert.deepEqual(placeholders(en[key]), placeholders(fr[key]), key);
  }
});
