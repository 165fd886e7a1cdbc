package com.powerwatch.platform.web;

import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;

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
        // even the right password is refused while locked (the lock is per username and address: this browser's)
        signInThroughForm(name, GOOD_PASSWORD);
        waitForText("[data-test=login-error]", "锁定");
        assertFalse(path().equals("/home"));
    }

    @Test
    void aCommonOrARecentPasswordIsRefusedNextToTheNewPasswordField() {
        String name = newUser(Role.OPERATOR, List.of(), null);
        String recent = "Green-Hill-2027";
        assertEquals(200, post(loginToken(name, GOOD_PASSWORD), "/api/auth/password",
                Map.of("oldPassword", GOOD_PASSWORD, "newPassword", recent)).getStatusCode().value());
        signInThroughForm(name, recent);
        waitForPath("/home");
        open("/change-password");

        type("[data-test=old-password]", recent);
        type("[data-test=new-password]", "Admin@123456");
        type("[data-test=confirm-password]", "Admin@123456");
        click("[data-test=cp-submit]");
        waitForText(".el-form-item.is-error .el-form-item__error", "该密码过于常见");

        type("[data-test=new-password]", GOOD_PASSWORD);
        type("[data-test=confirm-password]", GOOD_PASSWORD);
        click("[data-test=cp-submit]");
        waitForText(".el-form-item.is-error .el-form-item__error", "不能与最近 5 次使用过的密码相同");
        assertEquals("/change-password", path());
        screenshot("change-password-recent");
    }

    @Test
    void tooManyLoginsShowTheServersMessageAndTheButtonCountsDown() {
        open("/login");
        // The server's 429 itself is proven in LoginFloodIntegrationTest; here the page's answer to it. The browser
        // signs in from the server's own address, which the per-address rate exempts, so its answer is stood in for.
        js("""
                const real = window.fetch;
                window.fetch = (url, options) => String(url).includes('/api/auth/login')
                  ? Promise.resolve(new Response(JSON.stringify({error: 'TOO_MANY_REQUESTS',
                      message: '该地址登录尝试过于频繁，请稍后再试（约 3 秒后）', retryAfter: 3}),
                      {status: 429, headers: {'Content-Type': 'application/json', 'Retry-After': '3'}}))
                  : real(url, options)""");
        type("[data-test=username]", "anyone");
        type("[data-test=password]", "Wrong-Password-1");
        click("[data-test=login-submit]");
        waitForText("[data-test=login-error]", "请稍后再试");
        assertTrue(waitForText("[data-test=login-submit]", "秒后再试").getAttribute("disabled") != null,
                "the button waits out Retry-After");
        screenshot("login-too-many");
        waitForText("[data-test=login-submit]", "登 录"); // and comes back by itself
    }
}
