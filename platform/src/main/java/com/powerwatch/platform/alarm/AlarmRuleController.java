package com.powerwatch.platform.alarm;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.registry.RegistryAccess;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** 报警规则设置. Reads: every role (enterprise and facility rules scoped). Writes: administrators, operators, officers in scope. */
@RestController
@RequestMapping("/api/alarm-rules")
@Tag(name = "Alarm rules", description = "报警规则设置：按全局、区域、行业、企业、设施设置报警参数")
public class AlarmRuleController {

    static final String WRITE = "hasAnyRole('CITY_ADMIN','OPERATOR','DISTRICT_OFFICER')";

    private final AlarmRules rules;
    private final AlarmCatalogue catalogue;
    private final RegistryAccess access;

    public AlarmRuleController(AlarmRules rules, AlarmCatalogue catalogue, RegistryAccess access) {
        this.rules = rules;
        this.catalogue = catalogue;
        this.access = access;
    }

    @GetMapping
    @Operation(summary = "Rules visible to the caller (filters: type, scopeLevel, scopeKey)")
    public List<Map<String, Object>> list(@RequestParam(required = false) String type, @RequestParam(required = false) String scopeLevel,
                                          @RequestParam(required = false) String scopeKey) {
        return rules.list(type, scopeLevel, scopeKey);
    }

    @GetMapping("/schema")
    @Operation(summary = "Per alarm type: its parameters with kind, range, default, unit and meaning")
    public List<Map<String, Object>> schema() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (AlarmCatalogue.AlarmType t : catalogue.all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", t.code());
            m.put("name", t.name());
            m.put("parameters", AlarmRuleSchema.of(t.code()));
            out.add(m);
        }
        return out;
    }

    @GetMapping("/effective")
    @Operation(summary = "The parameters in force for a type and a facility (or an enterprise), each with where it came from")
    public AlarmRules.EffectiveRule effective(@RequestParam String type, @RequestParam(required = false) Long facilityId,
                                              @RequestParam(required = false) Long enterpriseId) {
        catalogue.requireParam("type", type);
        if (facilityId != null) {
            access.facility(facilityId);
            return rules.effective(type.trim(), facilityId);
        }
        if (enterpriseId != null) {
            access.enterprise(enterpriseId);
            return rules.effectiveForEnterprise(type.trim(), enterpriseId);
        }
        throw ApiException.badRequest("facilityId", "请指定设施（facilityId）或企业（enterpriseId）");
    }

    @PutMapping
    @PreAuthorize(WRITE)
    @Operation(summary = "Create or replace the rule of (type, scopeLevel, scopeKey): {type, scopeLevel, scopeKey, params, enabled}")
    public Map<String, Object> put(@RequestBody(required = false) AlarmRules.RuleRequest body) {
        return rules.put(body);
    }

    @DeleteMapping("/{ruleId:\\d+}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize(WRITE)
    public void delete(@PathVariable long ruleId) {
        rules.delete(ruleId);
    }
}
