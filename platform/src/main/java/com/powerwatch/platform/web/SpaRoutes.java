package com.powerwatch.platform.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The web app's client-side routes: a reload or a shared link such as {@code /alarms/42} gets {@code index.html}
 * and the app's router takes over. API, actuator and documentation paths never match (they are not listed), and
 * a path with a dot is a file, so a missing file stays a 404.
 */
@Controller
class SpaRoutes {

    /** The first path segments of the app's pages (web/src/router). */
    @GetMapping({"/login", "/change-password", "/home", "/overview", "/my", "/analysis", "/data-checks",
            "/alarms/**", "/enterprises/**", "/system/**", "/ops/**", "/emergency/**", "/reports/**", "/m", "/m/**"})
    String page() {
        return "forward:/index.html";
    }
}
