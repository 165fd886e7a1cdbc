package com.powerwatch.mobile.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerAddressTest {

    private static String base(String input) {
        return ServerAddress.parse(input).base();
    }

    @Test
    void whateverShapeIsGivenTheAddressIsTheServerItself() {
        assertEquals("http://10.1.2.3:8080", base("10.1.2.3:8080"));
        assertEquals("http://10.1.2.3:8080", base("  http://10.1.2.3:8080/  "));
        assertEquals("http://10.1.2.3:8080", base("\"http://10.1.2.3:8080\""));
        assertEquals("http://localhost:8080", base("localhost:8080"));
        assertEquals("http://pw.example.gov.cn", base("pw.example.gov.cn"));
        assertEquals("https://pw.example.gov.cn", base("HTTPS://PW.Example.gov.cn:443/login?redirect=%2Fhome"));
        assertEquals("http://pw.example.gov.cn", base("http://pw.example.gov.cn:80/#/alarms"));
        // the QR code on the login page holds the APK's download link
        assertEquals("http://10.1.2.3:8080", base("http://10.1.2.3:8080/app/powerwatch.apk"));
        // a page of the phone pages or the PC pages, shared from a browser
        assertEquals("http://10.1.2.3:8080", base("http://10.1.2.3:8080/m/alarms/42"));
        assertEquals("http://10.1.2.3:8080", base("http://10.1.2.3:8080/alarms/42?x=1"));
        // behind a reverse proxy under a prefix: the prefix stays
        assertEquals("https://gov.example.cn/powerwatch", base("https://gov.example.cn/powerwatch/m/"));
        assertEquals("https://gov.example.cn/hb/powerwatch", base("https://gov.example.cn/hb/powerwatch/app/"));
        assertEquals("http://[::1]:8080", base("http://[::1]:8080/login"));
    }

    @Test
    void theAppsDeepLinkCarriesTheAddressEncoded() {
        assertEquals("http://10.1.2.3:8080", base("powerwatch://connect?server=http%3A%2F%2F10.1.2.3%3A8080%2Fm%2F"));
        assertEquals("https://gov.example.cn/powerwatch", base("POWERWATCH://connect/?x=1&server=https%3A%2F%2Fgov.example.cn%2Fpowerwatch"));
        assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("powerwatch://connect"));
        assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("powerwatch://connect?server=powerwatch%3A%2F%2Fconnect"));
        assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("powerwatch://connect?server=javascript%3Aalert(1)"));
    }

    @Test
    void anythingThatIsNotPlainlyAnHttpServerIsRefusedInWordsThePersonCanActOn() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("  "));
        assertEquals("请输入服务器地址", empty.getMessage());
        for (String bad : new String[] {"javascript:alert(1)", "file:///etc/passwd", "ftp://10.1.2.3", "content://x/y",
                "mailto:a@b.cn", "data:text/html,hi"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse(bad), bad);
            assertTrue(e.getMessage().contains("http"), bad + ": " + e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("http://admin:secret@10.1.2.3"))
                .getMessage().contains("用户名或密码"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("http://10.1.2.3:0"))
                .getMessage().contains("端口"));
        assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("http://10.1.2.3:99999"));
        assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("http://"));
        assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("http://bad host/"));
    }

    @Test
    void theAppKeepsOnlyItsOwnPlatformsPagesInside() {
        ServerAddress s = ServerAddress.parse("http://10.1.2.3:8080");
        assertTrue(s.owns("http://10.1.2.3:8080/m/alarms/42"));
        assertTrue(s.owns("http://10.1.2.3:8080/"));
        assertTrue(s.owns("http://10.1.2.3:8080"));
        assertFalse(s.owns("https://10.1.2.3:8080/m/"), "another scheme is another origin");
        assertFalse(s.owns("http://10.1.2.3:8081/m/"), "another port");
        assertFalse(s.owns("http://10.1.2.30:8080/m/"));
        assertFalse(s.owns("http://10.1.2.3:8080.evil.example/m/"));
        assertFalse(s.owns("javascript:alert(1)"));
        assertFalse(s.owns("about:blank"));
        assertFalse(s.owns(null));

        ServerAddress behindProxy = ServerAddress.parse("https://gov.example.cn/powerwatch");
        assertTrue(behindProxy.owns("https://gov.example.cn/powerwatch/m/alarms/1"));
        assertFalse(behindProxy.owns("https://gov.example.cn/other-app/"));
        assertFalse(behindProxy.owns("https://gov.example.cn/powerwatch-evil/"));
        assertEquals("https://gov.example.cn", behindProxy.origin());
        // the WebView's geolocation prompt names an origin only
        assertTrue(behindProxy.sameOrigin("https://gov.example.cn/"));
        assertTrue(behindProxy.sameOrigin("https://gov.example.cn"));
        assertFalse(behindProxy.sameOrigin("http://gov.example.cn/"));
        assertFalse(behindProxy.sameOrigin("https://evil.example/"));
        assertFalse(behindProxy.sameOrigin("not a url"));
        assertEquals("https://gov.example.cn/powerwatch/m/alarms/7", behindProxy.url("/m/alarms/7"));
        assertEquals("https://gov.example.cn/powerwatch/api/x", behindProxy.url("api/x"));
    }
}
