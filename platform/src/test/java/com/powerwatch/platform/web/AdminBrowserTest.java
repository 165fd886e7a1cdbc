package com.powerwatch.platform.web;

import com.powerwatch.platform.auth.AuthTestSupport;
import com.powerwatch.platform.auth.Role;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 系统管理 and 数据核查 in Chromium: user management with the API's field messages, the audit log, rules, data checks. */
class AdminBrowserTest extends AdminBrowserTestBase {

    @Test
    void creatingAUserShowsTheApiMessagesNextToTheFieldsThenTheUserExistsAndTheAuditLogFindsIt() {
        enterprises(); // 陕西省 › 西安市 › 雁塔区 exist
        String admin = newUser(Role.CITY_ADMIN, List.of(), null);
        String token = loginToken(admin, GOOD_PASSWORD);
        String name = unique("officer");
        signInAs(admin, GOOD_PASSWORD, "/system/users");

        click("[data-test=user-new]");
        type("[data-test=user-username]", name);
        type("[data-test=user-display-name]", "王雁塔");
        choose("[data-test=user-role]", "区县监管人员");
        type("[data-test=user-phone]", "12345");
        click("[data-test=user-save]");
        // a district officer without a district: the API's own message, under 管辖区域
        Map<String, Object> body = new HashMap<>(Map.of("username", name, "displayName", "王雁塔", "role", "DISTRICT_OFFICER",
                "regions", List.of(), "phone", "12345"));
        ResponseEntity<Map> noRegion = post(token, "/api/admin/users", body);
        assertEquals(400, noRegion.getStatusCode().value());
        assertEquals("regions", noRegion.getBody().get("field"));
        waitForFieldError("管辖区域", apiMessage(noRegion.getBody()));

        pickRegion("[data-test=user-regions]", "陕西省", "西安市", "雁塔区");
        click("[data-test=user-save]");
        body.put("regions", List.of("610113"));
        ResponseEntity<Map> badPhone = post(token, "/api/admin/users", body);
        assertEquals("phone", badPhone.getBody().get("field"));
        waitForFieldError("手机/电话", apiMessage(badPhone.getBody()));
        assertEquals(0, jdbc.queryForObject("select count(*) from app_user where username = ?", Integer.class, name),
                "nothing was created while the form had errors");

        type("[data-test=user-phone]", "13912345678");
        click("[data-test=user-save]");
        String temporary = find("[data-test=one-time-secret]").getText();
        assertTrue(temporary.length() >= 10, "the temporary password is shown once: " + temporary);
        click("[data-test=secret-done]");
        waitForText("[data-test=users-table]", name);
        waitForText("[data-test=users-table]", "雁塔区");

        Map<?, ?> created = (Map<?, ?>) getList(token, "/api/admin/users?q=" + name).getBody().get(0);
        assertEquals("DISTRICT_OFFICER", created.get("role"));
        assertEquals(List.of("610113"), created.get("regions"));
        assertEquals("13912345678", created.get("phone"));
        assertEquals(200, login(name, temporary).getStatusCode().value(), "the password shown is the one that works");

        // 系统日志 finds the creation
        long id = ((Number) created.get("id")).longValue();
        open("/system/audit");
        type("[data-test=audit-username]", admin);
        type("[data-test=audit-q]", "user:" + id);
        click("[data-test=audit-search]");
        waitForText("[data-test=audit-table]", "新建用户");
        waitForText("[data-test=audit-table]", "user:" + id);
        Map<?, ?> audit = get(token, "/api/admin/audit?action=USER_CREATED&q=user:" + id).getBody();
        assertEquals(1, ((Number) audit.get("total")).intValue(), "the API has that one row: " + audit);
    }

    @Test
    void editingARuleParameterChangesTheEffectiveValueInTheApi() {
        long enterprise = enterprises()[0];
        String enterpriseName = jdbc.queryForObject("select name from enterprise where id = ?", String.class, enterprise);
        String operator = newUser(Role.OPERATOR, List.of(), null);
        String token = loginToken(operator, GOOD_PASSWORD);
        String effective = "/api/alarm-rules/effective?type=TREATMENT_STOPPED&enterpriseId=" + enterprise;
        assertEquals(15, ((Map<?, ?>) get(token, effective).getBody().get("values")).get("persistMinutes"), "the default first");

        signInAs(operator, GOOD_PASSWORD, "/system/rules?type=TREATMENT_STOPPED");
        click("[data-test=rule-new]");
        click("[data-test=scope-ENTERPRISE]");
        search("[data-test=rule-enterprise]", enterpriseName, enterpriseName);
        click("[data-test=param-set-persistMinutes]");
        type("[data-test=param-persistMinutes] input", "45");
        click("[data-test=rule-save]");
        waitUntil(d -> Integer.valueOf(45).equals(((Map<?, ?>) get(token, effective).getBody().get("values")).get("persistMinutes")),
                "the enterprise's effective persistMinutes 45");
        assertEquals("ENTERPRISE:" + enterprise, ((Map<?, ?>) get(token, effective).getBody().get("sources")).get("persistMinutes"));

        // edit it
        long ruleId = jdbc.queryForObject("select id from alarm_rule where type = 'TREATMENT_STOPPED' and scope_level = 'ENTERPRISE' and scope_key = ?",
                Long.class, String.valueOf(enterprise));
        click("[data-test=rule-edit-" + ruleId + "]");
        type("[data-test=param-persistMinutes] input", "50");
        click("[data-test=rule-save]");
        waitUntil(d -> Integer.valueOf(50).equals(((Map<?, ?>) get(token, effective).getBody().get("values")).get("persistMinutes")),
                "the edited value 50 in force");

        // the page shows the value in force and where it comes from for that enterprise
        search("[data-test=rules-enterprise]", enterpriseName, enterpriseName);
        waitForText("[data-test=effective-persistMinutes]", "50");
        waitForText("[data-test=source-persistMinutes]", "企业");
    }

    @Test
    void aDataCheckRerunProducesANewRunInTheApi() {
        enterprises();
        String operator = newUser(Role.OPERATOR, List.of(), null);
        String token = loginToken(operator, GOOD_PASSWORD);
        long before = jdbc.queryForObject("select coalesce(max(id), 0) from data_check_run", Long.class);

        signInAs(operator, GOOD_PASSWORD, "/data-checks");
        click("[data-test=check-rerun]");
        confirmBox();
        waitUntil(d -> jdbc.queryForObject("select coalesce(max(id), 0) from data_check_run", Long.class) > before, "a new run");
        long run = jdbc.queryForObject("select max(id) from data_check_run", Long.class);
        Map<?, ?> latest = get(token, "/api/data-checks/runs/" + run).getBody();
        assertEquals("MANUAL", latest.get("trigger"));
        assertEquals(operator, latest.get("requestedBy"));
        waitForText("[data-test=check-run-info]", "第 " + run + " 次核查");
        Map<?, ?> total = (Map<?, ?>) get(token, "/api/data-checks/summary?run=" + run).getBody().get("total");
        waitForText("[data-test=check-findings]", String.valueOf(total.get("findings")));
    }

    @Test
    void aDistrictOfficerSeesNoUserManagementAndCannotStartADataCheck() {
        String officer = newUser(Role.DISTRICT_OFFICER, List.of("610113"), null);
        signInAs(officer, GOOD_PASSWORD, "/data-checks");
        find("[data-test=check-run-select]");
        assertTrue(findAll("[data-test=check-rerun]").isEmpty(), "no rerun button for an officer");
        open("/system/users");
        waitForPath("/home");
        String token = AuthTestSupport.token(jdbc, Role.DISTRICT_OFFICER, List.of("610113"), null);
        assertEquals(403, call(token, HttpMethod.POST, "/api/data-checks/runs", Map.of()).getStatusCode().value());
    }
}
