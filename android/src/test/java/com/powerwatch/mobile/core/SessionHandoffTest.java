package com.powerwatch.mobile.core;

import org.json.JSONArray;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionHandoffTest {

    @Test
    void theBootstrapPageStoresTheSessionUnderTheWebAppsKeyAndGoesOn() {
        String session = SessionStoreTest.pageSession("abc", 7);
        String html = SessionHandoff.bootstrapHtml(session, "http://10.1.2.3:8080/m/alarms/42");
        assertTrue(html.contains("sessionStorage.setItem(\"powerwatch.session\","), html);
        assertTrue(html.contains("location.replace(\"http://10.1.2.3:8080/m/alarms/42\")"), html);
        assertEquals(session, literalAfter(html, "\"powerwatch.session\","));
        assertFalse(SessionHandoff.bootstrapHtml(null, "http://h/m/").contains("setItem"), "nothing to hand over: just go");
    }

    @Test
    void noTextCanEndTheStringOrTheScript() {
        String nasty = "{\"token\":\"x\",\"user\":{\"displayName\":\"</script><script>alert(1)</script>\\\" ' \\\\ \u2028 \u2029 \n 张三\"}}";
        String html = SessionHandoff.bootstrapHtml(nasty, "http://h/m/?a=1&b=\"'");
        assertEquals(1, html.split("</script>", -1).length - 1, "only the page's own </script>: " + html);
        assertFalse(html.contains("'"));
        assertFalse(html.contains("\n") || html.contains("\u2028") || html.contains("\u2029"));
        assertEquals(nasty, literalAfter(html, "\"powerwatch.session\","));
        assertEquals("http://h/m/?a=1&b=\"'", literalAfter(html, "location.replace("));
        String restore = SessionHandoff.restoreScript(nasty);
        assertEquals(nasty, literalAfter(restore, "\"powerwatch.session\","));
        assertTrue(restore.endsWith("location.reload()}catch(e){}"));
    }

    @Test
    void whatTheWebViewHandsBackIsDecoded() {
        assertNull(SessionHandoff.decodeScriptResult(null));
        assertNull(SessionHandoff.decodeScriptResult("null"));
        assertNull(SessionHandoff.decodeScriptResult(""));
        // evaluateJavascript gives the JSON encoding of the string the page holds
        assertEquals("{\"token\":\"t\",\"user\":{\"id\":1,\"displayName\":\"张三\"}}",
                SessionHandoff.decodeScriptResult("\"{\\\"token\\\":\\\"t\\\",\\\"user\\\":{\\\"id\\\":1,\\\"displayName\\\":\\\"\\u5f20\\u4e09\\\"}}\""));
        assertNull(SessionHandoff.decodeScriptResult("{broken"));
    }

    /** The JavaScript string literal that follows {@code marker}, decoded (its escapes are JSON's too). */
    private static String literalAfter(String script, String marker) {
        int start = script.indexOf(marker) + marker.length();
        int end = script.indexOf('"', start + 1);
        return new JSONArray("[" + script.substring(start, end + 1) + "]").getString(0);
    }
}
