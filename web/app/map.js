// Maps with Leaflet, served from the app's own static files (web/app/vendor/, copied from
// npm by scripts/bootstrap.sh) and loaded only when a screen shows a map. The base layer's
// tiles come from the server's MAP_TILES_URL setting; without it, the communes' outlines
// (from the API) are the background, so a map works with no other host than the server.
import * as api from "./api.js";

const VENDOR = new URL("./vendor/leaflet/", import.meta.url);
let leaflet = null;
let communes = null;

function loadLeaflet() {
  if (!leaflet) {
    leaflet = new Promise((resolve, reject) => {
      const css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = new URL("leaflet.css", VENDOR).href;
      document.head.append(css);
      const script = document.createElement("script");
      script.src = new URL("leaflet.js", VENDOR).href;
      script.onload = () => resolve(window.L);
      script.onerror = () => {
        leaflet = null;
        reject(new Error("Leaflet did not load"));
      };
      document.head.append(script);
    });
  }
  return leaflet;
}

function communeOutlines() {
  if (!communes) {
    // GeoJSON is asked by its media type (a ?format= beside Accept: application/json is a 406).
    communes = api.request("GET", "/communes/", { headers: { Accept: "application/geo+json" } }).catch((error) => {
      communes = null;
      throw error;
    });
  }
  return communes;
}

const STATUS_COLOURS = {
  nouveau: "#000091",
  reouvert: "#000091",
  pris_en_compte: "#6a6af4",
  programme: "#6a6af4",
  en_cours: "#b34000",
  resolu: "#18753c",
  clos: "#18753c",
  rejete: "#c9191e",
};

export const colourOf = (status) => STATUS_COLOURS[status] || "#000091";

// A map in `container`, centred on `center` ([lat, lon]) or fitted to the territory.
export async function createMap(container, { center = null, zoom = 15 } = {}) {
  const L = await loadLeaflet();
  const map = L.map(container, { zoomControl: true, attributionControl: true });
  const { tilesUrl, tilesAttribution } = document.body.dataset;
  if (tilesUrl) {
    L.tileLayer(tilesUrl, { attribution: tilesAttribution || "", maxZoom: 19 }).addTo(map);
  } else {
    container.classList.add("no-tiles");
  }
  if (center) map.setView(center, zoom);
  else map.setView([43.84, 4.36], 10);
  try {
    const outlines = L.geoJSON(await communeOutlines(), {
      interactive: false,
      style: { color: "#595959", weight: 1, fillOpacity: 0.03 },
    }).addTo(map);
    outlines.bringToBack();
    if (!center) map.fitBounds(outlines.getBounds());
  } catch {
    // The outlines are a background: a map without them still shows its points.
  }
  return { L, map };
}

// A point for a report, coloured by status; `link` is where a tap on its popup leads.
export function reportMarker(L, report, { link, label }) {
  const marker = L.circleMarker([report.latitude, report.longitude], {
    radius: 9, weight: 2, color: "#fff", fillColor: colourOf(report.status), fillOpacity: 0.9,
  });
  const popup = document.createElement("div");
  const anchor = document.createElement("a");
  anchor.href = link;
  anchor.textContent = label;
  popup.append(anchor);
  marker.bindPopup(popup);
  return marker;
}
