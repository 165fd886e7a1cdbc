package com.powerwatch.platform.web;

import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 登录: the form, the forced password change, the session across a reload, logout and the lockout message. */
class LoginBrowserTest extends BrowserTestBase {

    @Test
    void aFirstLoginMustChangeThePasswordAndAWeakOneIsRefusedNextToTheField() {
        String name = newUser(Role.CITY_ADMIN, List.of(), null);
        jdbc.update("update app_user set must_change_password = true where username = ?", name);

        signInThroughForm(name, GOOD_PASSWORD);
        waitForPath("/change-password");
        find("[data-test=forced-notice]");
        // every other page sends the user back here until the password is changed
        open("/alarms/realtime");
        waitForPath("/change-password");

        type("[data-test=old-password]", GOOD_PASSWORD);
        type("[data-test=new-password]", "short");
        type("[data-test=confirm-password]", "short");
        click("[data-test=cp-submit]");
        // the API's own message for the field, shown under the field
        String apiMessage = (String) post(loginToken(name, GOOD_PASSWORD), "/api/auth/password",
                Map.of("oldPassword", GOOD_PASSWORD, "newPassword", "short")).getBody().get("message");
        assertTrue(waitForText(".el-form-item.is-error .el-form-item__error", apiMessage).isDisplayed());

        String next = "Green-Valley-2027!";
        type("[data-test=new-password]", next);
        type("[data-test=confirm-password]", next);
        click("[data-test=cp-submit]");
        waitForPath("/home");
        assertEquals(200, login(name, next).getStatusCode().value(), "the new password works");
        assertEquals(401, login(name, GOOD_PASSWORD).getStatusCode().value(), "the old one does not");
    }

    @Test
    void theSessionSurvivesAReloadAndLogoutEndsIt() {
        String name = newUser(Role.CITY_ADMIN, List.of(), null);
        signInThroughForm(name, GOOD_PASSWORD);
        waitForPath("/home");
        browser.navigate().refresh();
        find("[data-test=user-menu]");
        assertEquals("/home", path());
        String token = (String) js("return JSON.parse(sessionStorage.getItem('powerwatch.session')).token");

        click("[data-test=user-menu]");
        click("[data-test=logout]");
        waitForPath("/login");
        assertEquals(401, get(token, "/api/auth/me").getStatusCode().value(), "the token is revoked on logout");
        open("/overview");
        waitForPath("/login");
    }

    @Test
    void wrongPasswordsSayWhatIsWrongAndALockedAccountSaysUntilWhen() {
        String name = newUser(Role.DISTRICT_OFFICER, List.of(), null);
        signInThroughForm(name, "Wrong-Password-1");
        waitForText("[data-test=login-error]", "用户名或密码错误");
        for (int i = 0; i < 5; i++) {
            signInThroughForm(name, "Wrong-Password-1");
            find("[data-test=login-error]");
        }
        String shown = waitForText("[data-test=login-error]", "锁定").getText();
        assertTrue(shown.contains("至"), "says until when: " + shown);
        ResponseEntity<Map> r = login(name, GOOD_PASSWORD);
        assertEquals(423, r.getStatusCode().value(), "even the right password is refused while locked");
        assertFalse(path().equals("/home"));
    }
}
