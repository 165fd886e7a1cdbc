package com.powerwatch.platform.web;

import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.platform.auth.Role;
import com.powerwatch.platform.dashboard.DashboardFixtures;
import com.powerwatch.platform.telemetry.TelemetryRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 首页一张图 in Chromium: every marker is drawn in the colour of the state the API gives (alarm, order, offline,
 * stopped, normal), the legend counts and filters, a click opens the popup with the name and open alarms and leads to
 * the enterprise page, a new reading recolours a marker without a reload, and a district officer's map holds only the
 * district. Enterprises of this class live in 高陵区 (610117) and 鄠邑区 (610118).
 */
class HomeMapBrowserTest extends BrowserTestBase {

    static final String GAOLING = "610117";
    static final String HUYI = "610118";
    /** web/src/utils/status.ts MAP_STATE_COLORS */
    static final Map<String, String> COLOURS = Map.of("ALARM", "#e5484d", "ORDERED", "#f08c00", "OFFLINE", "#8b95a1",
            "NORMAL", "#2f9e44", "STOPPED", "#5b7083");

    @Autowired
    TcpGateway gateway;
    @Autowired
    TelemetryRegistry registry;

    DashboardFixtures fx;
    Map<String, Long> ids;
    DashboardFixtures.Meter normalMeter;
    String tag;

    @BeforeEach
    void city() throws Exception {
        fx = new DashboardFixtures(jdbc, gateway.port());
        tag = UUID.randomUUID().toString().substring(0, 6);
        ids = new HashMap<>();
        ids.put("NORMAL", fx.enterprise("正常企业" + tag, GAOLING, 109.05, 34.49));
        ids.put("STOPPED", fx.enterprise("停运企业" + tag, GAOLING, 109.06, 34.50));
        ids.put("OFFLINE", fx.enterprise("离线企业" + tag, GAOLING, 109.07, 34.51));
        ids.put("ALARM", fx.enterprise("报警企业" + tag, GAOLING, 109.08, 34.52));
        ids.put("ORDERED", fx.enterprise("限产企业" + tag, HUYI, 108.61, 34.11));
        normalMeter = fx.meter(ids.get("NORMAL"), "PRODUCTION");
        DashboardFixtures.Meter stop = fx.meter(ids.get("STOPPED"), "PRODUCTION");
        fx.meter(ids.get("OFFLINE"), "PRODUCTION");
        DashboardFixtures.Meter alarmed = fx.meter(ids.get("ALARM"), "PRODUCTION");
        fx.meter(ids.get("ORDERED"), "PRODUCTION");
        fx.alarm(ids.get("ALARM"), "PRODUCTION_DURING_STOP", "LEVEL_1");
        fx.stopOrder(ids.get("ORDERED"));
        registry.refresh();
        fx.send(normalMeter, 50);
        fx.send(stop, 0);
        fx.send(alarmed, 30);
    }

    /** The markers as Leaflet holds them: id → {mapState, color, shown}. */
    @SuppressWarnings("unchecked")
    private Map<Long, Map<String, Object>> markers() {
        Object r = js("const m = document.querySelector('[data-test=home-map]'); return m && m.__pwMarkers ? m.__pwMarkers() : [];");
        return ((List<Map<String, Object>>) r).stream().collect(Collectors.toMap(m -> ((Number) m.get("id")).longValue(), m -> m));
    }

    /** The API's map states of the enterprises that have a place (the others get no marker). */
    @SuppressWarnings("unchecked")
    private Map<Long, String> apiStates(String username) {
        List<Map<String, Object>> rows = getList(loginToken(username, GOOD_PASSWORD), "/api/dashboard/map").getBody();
        return rows.stream().filter(m -> m.get("lng") != null)
                .collect(Collectors.toMap(m -> ((Number) m.get("id")).longValue(), m -> (String) m.get("mapState")));
    }

    @Test
    void everyMarkerHasTheColourOfItsStateAndThePopupLeadsToTheEnterprise() {
        String admin = newUser(Role.CITY_ADMIN, List.of(), null);
        // the frames have made their states: the API agrees with the fixtures
        await("states from the frames", () -> {
            Map<Long, String> s = apiStates(admin);
            return ids.entrySet().stream().allMatch(e -> e.getKey().equals(s.get(e.getValue())));
        });
        signInAs(admin, GOOD_PASSWORD, "/home");
        waitUntil(d -> markers().keySet().containsAll(ids.values()), "markers of the fixtures");
        Map<Long, String> api = apiStates(admin);
        Map<Long, Map<String, Object>> drawn = markers();
        assertEquals(api.keySet(), drawn.keySet(), "one marker per enterprise with a place");
        for (Map.Entry<Long, Map<String, Object>> m : drawn.entrySet()) {
            String state = api.get(m.getKey());
            assertEquals(state, m.getValue().get("mapState"), "marker " + m.getKey());
            assertEquals(COLOURS.get(state), m.getValue().get("color"), "colour of marker " + m.getKey());
        }
        for (Map.Entry<String, Long> e : ids.entrySet()) {
            assertEquals(COLOURS.get(e.getKey()), drawn.get(e.getValue()).get("color"), e.getKey());
        }
        // the offline base map: Xi'an's 13 districts from /map/610100.json (named where there is room)
        waitUntil(d -> ((Number) js("return document.querySelectorAll('.pw-district-label').length")).intValue() == 13,
                "13 district boundaries");
        // the legend counts what the API says (of the enterprises with a place)
        for (String state : COLOURS.keySet()) {
            long n = api.values().stream().filter(state::equals).count();
            waitForText("[data-test=legend-count-" + state + "]", String.valueOf(n));
        }
        // the KPI cards show the API's numbers
        Map<?, ?> kpi = (Map<?, ?>) get(loginToken(admin, GOOD_PASSWORD), "/api/dashboard/summary").getBody().get("kpi");
        waitForText("[data-test=kpi-enterprises]", String.valueOf(kpi.get("enterprises")));
        waitForText("[data-test=kpi-problem]", String.valueOf(kpi.get("problem")));

        // the legend filters: normal markers hidden, the others stay
        click("[data-test=legend-NORMAL]");
        waitUntil(d -> !(Boolean) markers().get(ids.get("NORMAL")).get("shown"), "normal markers hidden");
        assertTrue((Boolean) markers().get(ids.get("ALARM")).get("shown"));
        click("[data-test=legend-NORMAL]");
        waitUntil(d -> (Boolean) markers().get(ids.get("NORMAL")).get("shown"), "normal markers shown again");

        // a click on the alarm enterprise's marker opens its popup: name, open alarm, link to its page
        long alarm = ids.get("ALARM");
        clickMarker(alarm);
        WebElement popup = waitForText("[data-test=map-popup]", "报警企业" + tag);
        assertEquals(String.valueOf(alarm), popup.getAttribute("data-enterprise-id"));
        waitForText("[data-test=map-popup]", "停产期间生产");
        click("[data-test=popup-detail]");
        waitForPath("/enterprises/" + alarm);
    }

    /** The bundle goes out as the gzip copy the build made (not compressed again per request), cached for a year. */
    @Test
    void theBundleIsServedFromItsPrebuiltGzipCopy() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String index = http.send(HttpRequest.newBuilder(URI.create(url("/"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("/assets/index-[\\w-]+\\.js").matcher(index);
        assertTrue(m.find(), "index.html names its script");
        String asset = m.group();
        byte[] plain;
        byte[] copy;
        try (var in = getClass().getResourceAsStream("/static" + asset); var gz = getClass().getResourceAsStream("/static" + asset + ".gz")) {
            assertTrue(in != null && gz != null, "the build left " + asset + " and its .gz copy");
            plain = in.readAllBytes();
            copy = gz.readAllBytes();
        }
        HttpResponse<byte[]> zipped = http.send(HttpRequest.newBuilder(URI.create(url(asset)))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, zipped.statusCode());
        assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElse(""));
        assertTrue(zipped.headers().firstValue("Cache-Control").orElse("").contains("immutable"));
        assertTrue(Arrays.equals(copy, zipped.body()), "the prebuilt copy's bytes, not a new compression");
        HttpResponse<byte[]> identity = http.send(HttpRequest.newBuilder(URI.create(url(asset)))
                .header("Accept-Encoding", "identity").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertTrue(Arrays.equals(plain, identity.body()), "a client without gzip gets the file itself");
    }

    private void clickMarker(long id) {
        js("document.querySelector('[data-test=home-map]').__pwFocus(arguments[0])", id);
        WebElement map = find("[data-test=home-map]");
        Map<?, ?> p = (Map<?, ?>) js("return document.querySelector('[data-test=home-map]').__pwPoint(arguments[0])", id);
        int x = (int) Math.round(((Number) p.get("x")).doubleValue() - map.getSize().getWidth() / 2.0);
        int y = (int) Math.round(((Number) p.get("y")).doubleValue() - map.getSize().getHeight() / 2.0);
        new Actions(browser).moveToElement(map, x, y).click().perform();
    }

    @Test
    void aNewReadingRecoloursItsMarkerWithoutAReload() throws Exception {
        String admin = newUser(Role.CITY_ADMIN, List.of(), null);
        long normal = ids.get("NORMAL");
        await("running", () -> "NORMAL".equals(apiStates(admin).get(normal)));
        signInAs(admin, GOOD_PASSWORD, "/home");
        waitUntil(d -> markers().containsKey(normal) && "NORMAL".equals(markers().get(normal).get("mapState")), "normal marker");
        js("window.__sameDocument = true");
        fx.send(normalMeter, 0); // the line stops
        waitUntil(d -> COLOURS.get("STOPPED").equals(markers().get(normal).get("color")), "the marker turns to 停运");
        assertEquals("STOPPED", apiStates(admin).get(normal));
        assertEquals(Boolean.TRUE, js("return window.__sameDocument === true"), "no reload");
    }

    @Test
    void aDistrictOfficerSeesOnlyTheDistrictsEnterprises() {
        String officer = newUser(Role.DISTRICT_OFFICER, List.of(HUYI), null);
        signInAs(officer, GOOD_PASSWORD, "/home");
        waitUntil(d -> markers().containsKey(ids.get("ORDERED")), "the district's enterprise");
        Set<Long> inDistrict = Set.copyOf(jdbc.queryForList("select id from enterprise where district_code = ? and status <> 'CLOSED'"
                + " and longitude is not null", Long.class, HUYI));
        assertEquals(inDistrict, markers().keySet());
        assertEquals(COLOURS.get("ORDERED"), markers().get(ids.get("ORDERED")).get("color"));
        waitForText("[data-test=kpi-enterprises]", String.valueOf(jdbc.queryForObject(
                "select count(*) from enterprise where district_code = ? and status <> 'CLOSED'", Long.class, HUYI)));
    }
}
