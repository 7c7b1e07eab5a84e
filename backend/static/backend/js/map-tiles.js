"use strict";
// The base layer of the back-office maps, from the MAP_TILES_URL setting (passed in this
// script's data attributes); without a URL, an empty layer: the geometries alone.
{
    const { tilesUrl, tilesAttribution } = document.currentScript.dataset;
    MapWidget.layerBuilder.configured = () =>
        tilesUrl
            ? new ol.layer.Tile({
                  source: new ol.source.XYZ({
                      url: tilesUrl,
                      attributions: tilesAttribution || undefined,
                  }),
              })
            : new ol.layer.Vector({ source: new ol.source.Vector() });
}
