// French by default; English when the browser asks for it or the toggle chooses it.
// Each part of the app keeps its strings in messages/<part>.js, in both languages.
import account from "./messages/account.js";
import consultations from "./messages/consultations.js";
import core from "./messages/core.js";
import figures from "./messages/figures.js";
import moderation from "./messages/moderation.js";
import resident from "./messages/resident.js";

const KEY = "agglo.staff.lang";

export const parts = { core, figures, moderation, resident, consultations, account };

export const dictionaries = {
  fr: Object.assign({}, ...Object.values(parts).map((p) => p.fr)),
  en: Object.assign({}, ...Object.values(parts).map((p) => p.en)),
};

export function lang() {
  const chosen = localStorage.getItem(KEY);
  if (chosen === "fr" || chosen === "en") return chosen;
  return (navigator.language || "fr").toLowerCase().startsWith("en") ? "en" : "fr";
}

export function setLang(value) {
  localStorage.setItem(KEY, value);
  document.documentElement.lang = value;
}

export function t(key, vars = {}) {
  const text = dictionaries[lang()][key] ?? dictionaries.fr[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

export function formatDate(iso) {
  if (!iso) return "";
  return new Intl.DateTimeFormat(lang() === "en" ? "en-GB" : "fr-FR", {
    dateStyle: "short",
    timeStyle: "short",
    timeZone: "Europe/Paris",
  }).format(new Date(iso));
}

export function formatNumber(value, options = {}) {
  return new Intl.NumberFormat(lang() === "en" ? "en-GB" : "fr-FR", options).format(value);
}
