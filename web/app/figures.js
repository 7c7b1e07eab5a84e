// The managers' screens: the figures of their direction and its exports.
import { t } from "./i18n.js";
import { h } from "./ui.js";

export async function figuresScreen() {
  return [h("h1", {}, t("nav.figures"))];
}

// Routes of this part: hash path -> screen (params are the hash's query).
export const routes = {
  "/figures": () => figuresScreen(),
};
