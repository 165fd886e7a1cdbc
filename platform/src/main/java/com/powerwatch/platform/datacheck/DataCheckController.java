package com.powerwatch.platform.datacheck;

import com.powerwatch.platform.api.ApiException;
import com.powerwatch.platform.auth.AccessScope;
import com.powerwatch.platform.datacheck.DataCheckRepository.DistrictSummary;
import com.powerwatch.platform.datacheck.DataCheckRepository.EnterpriseRow;
import com.powerwatch.platform.datacheck.DataCheckRepository.FindingRow;
import com.powerwatch.platform.datacheck.DataCheckRepository.Page;
import com.powerwatch.platform.datacheck.DataCheckRepository.Run;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * 数据核查 API. Starting a run is for the city administrator and operators (a run checks every enterprise, so it is
 * not a district officer's action); everything else is readable by every role, scoped in SQL.
 */
@RestController
@RequestMapping("/api/data-checks")
public class DataCheckController {

    private static final int MAX_PAGE_SIZE = 500;

    private final DataCheckRunner runner;
    private final DataCheckRepository repository;

    public DataCheckController(DataCheckRunner runner, DataCheckRepository repository) {
        this.runner = runner;
        this.repository = repository;
    }

    /** Body of POST /runs; every field optional: day defaults to yesterday (China time), rules and enterprises to all. */
    public record RunRequest(LocalDate day, List<String> rules, List<Long> enterpriseIds) {
    }

    /** Runs synchronously and answers 201 with the finished run (status SUCCEEDED, PARTIAL or FAILED). */
    @PostMapping("/runs")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAnyRole('CITY_ADMIN','OPERATOR')")
    public Run start(@RequestBody(required = false) RunRequest request) {
        RunRequest r = request == null ? new RunRequest(null, null, null) : request;
        LocalDate today = LocalDate.now(CheckContext.CHINA);
        LocalDate day = r.day() == null ? today.minusDays(1) : r.day();
        if (day.isAfter(today)) {
            throw ApiException.badRequest("day", "核查日期 " + day + " 晚于今天（北京时间 " + today + "），不能核查将来的日期");
        }
        if (r.rules() != null) {
            if (r.rules().isEmpty()) {
                throw ApiException.badRequest("rules", "核查规则不填表示全部规则；填写时须至少列出一条规则");
            }
            List<String> unknown = r.rules().stream().filter(code -> rule(code) == null).toList();
            if (!unknown.isEmpty()) {
                throw ApiException.badRequest("rules", "核查规则不存在：" + String.join("、", unknown));
            }
        }
        if (r.enterpriseIds() != null) {
            if (r.enterpriseIds().isEmpty() || r.enterpriseIds().contains(null)) {
                throw ApiException.badRequest("enterpriseIds", "企业列表不填表示全部企业；填写时须列出企业编号，且不能有空值");
            }
            List<Long> bad = repository.notActiveEnterprises(r.enterpriseIds());
            if (!bad.isEmpty()) {
                throw ApiException.badRequest("enterpriseIds", "以下企业不存在或不在正常状态：" + bad);
            }
        }
        long id = runner.run(DataCheckRunner.Trigger.MANUAL, day, r.rules() == null ? null : List.copyOf(r.rules()),
                r.enterpriseIds() == null ? null : List.copyOf(r.enterpriseIds()), AccessScope.currentUser().username());
        return repository.run(AccessScope.current(), id);
    }

    @GetMapping("/runs")
    public Page<Run> runs(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        checkPage(page, size);
        return repository.runs(AccessScope.current(), page, size);
    }

    /** One run by id, or {@code latest}. */
    @GetMapping("/runs/{run}")
    public Run run(@PathVariable String run) {
        return repository.run(AccessScope.current(), repository.resolveRun(run));
    }

    public record Summary(Run run, List<DistrictSummary> districts, DistrictSummary total) {
    }

    @GetMapping("/summary")
    public Summary summary(@RequestParam(defaultValue = "latest") String run) {
        AccessScope scope = AccessScope.current();
        long id = repository.resolveRun(run);
        List<DistrictSummary> districts = repository.summary(scope, id);
        Map<String, Long> byRule = new TreeMap<>();
        Map<String, Long> byCategory = new TreeMap<>();
        districts.forEach(d -> {
            d.byRule().forEach((k, v) -> byRule.merge(k, v, Long::sum));
            d.byCategory().forEach((k, v) -> byCategory.merge(k, v, Long::sum));
        });
        DistrictSummary total = new DistrictSummary(null, "合计",
                districts.stream().mapToLong(DistrictSummary::enterprisesChecked).sum(),
                districts.stream().mapToLong(DistrictSummary::enterprisesWithFindings).sum(),
                districts.stream().mapToLong(DistrictSummary::findings).sum(), byRule, byCategory);
        return new Summary(repository.run(scope, id), districts, total);
    }

    /** Per-enterprise list: counts per rule; sort = findings | name | district | enterpriseId, direction = asc | desc. */
    @GetMapping("/enterprises")
    public Page<EnterpriseRow> enterprises(@RequestParam(defaultValue = "latest") String run,
                                           @RequestParam(required = false) String district,
                                           @RequestParam(required = false) String rule,
                                           @RequestParam(defaultValue = "true") boolean onlyWithFindings,
                                           @RequestParam(defaultValue = "findings") String sort,
                                           @RequestParam(defaultValue = "desc") String direction,
                                           @RequestParam(defaultValue = "0") int page,
                                           @RequestParam(defaultValue = "20") int size) {
        checkPage(page, size);
        checkDistrict(district);
        checkRule(rule);
        if (!DataCheckRepository.ENTERPRISE_SORTS.containsKey(sort)) {
            throw ApiException.badRequest("sort", "排序字段须为 findings（问题数）、name（企业名称）、district（区县）或 enterpriseId（企业编号）");
        }
        if (!direction.equals("asc") && !direction.equals("desc")) {
            throw ApiException.badRequest("direction", "排序方向须为 asc（升序）或 desc（降序）");
        }
        return repository.enterprises(AccessScope.current(), repository.resolveRun(run), district, rule, onlyWithFindings,
                sort, direction.equals("desc"), page, size);
    }

    @GetMapping("/findings")
    public Page<FindingRow> findings(@RequestParam(defaultValue = "latest") String run,
                                     @RequestParam(required = false) String rule,
                                     @RequestParam(required = false) String category,
                                     @RequestParam(required = false) String district,
                                     @RequestParam(required = false) Long enterprise,
                                     @RequestParam(defaultValue = "0") int page,
                                     @RequestParam(defaultValue = "50") int size) {
        checkPage(page, size);
        checkDistrict(district);
        checkRule(rule);
        if (category != null && java.util.Arrays.stream(Category.values()).noneMatch(c -> c.name().equals(category))) {
            throw ApiException.badRequest("category", "核查类别须为 " + String.join("、", java.util.Arrays.stream(Category.values()).map(c -> c.name() + "（" + c.nameZh() + "）").toList()));
        }
        Map<String, String> names = runner.rules().stream()
                .collect(Collectors.toMap(DataCheckRule::code, DataCheckRule::nameZh, (a, b) -> a));
        return repository.findings(AccessScope.current(), repository.resolveRun(run), rule, category, district, enterprise,
                names, page, size);
    }

    public record RuleInfo(String code, String nameZh, String category, String categoryZh, String severity, String definition) {
    }

    @GetMapping("/rules")
    public List<RuleInfo> rules() {
        return runner.rules().stream().map(r -> new RuleInfo(r.code(), r.nameZh(), r.category().name(),
                r.category().nameZh(), r.severity().name(), r.definition(runner.settings()))).toList();
    }

    /** The settings in effect (powerwatch.data-checks.*), for operators checking what the numbers are. */
    @GetMapping("/settings")
    public DataCheckProperties settings() {
        return runner.settings();
    }

    private DataCheckRule rule(String code) {
        return runner.rules().stream().filter(r -> r.code().equals(code)).findFirst().orElse(null);
    }

    private void checkRule(String rule) {
        if (rule != null && rule(rule) == null) {
            throw ApiException.badRequest("rule", "核查规则不存在：" + rule);
        }
    }

    private static void checkDistrict(String district) {
        if (district != null && !district.matches("\\d{6}")) {
            throw ApiException.badRequest("district", "区县代码须为6位行政区划代码");
        }
    }

    private static void checkPage(int page, int size) {
        if (page < 0) {
            throw ApiException.badRequest("page", "页码不能为负数");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw ApiException.badRequest("size", "每页条数须在 1 到 " + MAX_PAGE_SIZE + " 之间");
        }
    }
}
