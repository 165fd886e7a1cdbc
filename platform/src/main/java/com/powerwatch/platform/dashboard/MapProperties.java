package com.powerwatch.platform.dashboard;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * {@code powerwatch.web.map.*}: the base map of 首页一张图. Offline by default: the district boundaries of the city
 * from {@code /map/<adcode>.json} (shipped with the app, docs/web.md "Base map"), no tiles. A bureau with a tile
 * service sets {@code tiles.source}: {@code tianditu} (天地图, needs {@code tiles.tianditu-key}; CGCS2000 ≈ WGS-84) or
 * {@code amap} (高德, GCJ-02: the page converts coordinates on the way to those tiles); {@code tiles.url} and
 * {@code tiles.label-url} replace the default templates (e.g. a bureau's own tile server, then {@code tiles.coordinates}
 * says WGS84 or GCJ02).
 *
 * @param adcode      GB/T 2260 code of the city whose districts are drawn
 * @param city        its name
 * @param center      [longitude, latitude] (WGS-84) before the boundaries are loaded
 * @param zoom        initial zoom level
 * @param boundaries  URL of the GeoJSON district boundaries; empty = /map/&lt;adcode&gt;.json
 */
@ConfigurationProperties(prefix = "powerwatch.web.map")
public record MapProperties(@DefaultValue("610100") String adcode,
                           @DefaultValue("西安市") String city,
                           @DefaultValue({"108.94", "34.26"}) List<Double> center,
                           @DefaultValue("9") int zoom,
                           @DefaultValue("") String boundaries,
                           @DefaultValue Tiles tiles) {

    /**
     * @param source      none, tianditu or amap
     * @param tiandituKey 天地图 browser key (tk)
     * @param url         tile URL template ({x}, {y}, {z}, {s}); empty = the source's default
     * @param labelUrl    annotation layer template (天地图's 注记); empty = the source's default
     * @param subdomains  values of {s}; empty = the source's default
     * @param coordinates WGS84 or GCJ02: what the tiles are drawn in; empty = the source's (高德: GCJ02)
     */
    public record Tiles(@DefaultValue("none") String source,
                        @DefaultValue("") String tiandituKey,
                        @DefaultValue("") String url,
                        @DefaultValue("") String labelUrl,
                        @DefaultValue("") String subdomains,
                        @DefaultValue("") String coordinates) {
    }
}
