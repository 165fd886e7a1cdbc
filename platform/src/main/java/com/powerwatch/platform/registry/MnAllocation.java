package com.powerwatch.platform.registry;

import com.powerwatch.platform.api.ApiException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/**
 * The MNs the platform hands out: the enterprise's 6-digit district code (GB/T 2260) followed by 8 random digits
 * ({@code 61011304718265}). The district part says where a logger belongs; the random part means one MN tells
 * nothing about another. An MN is an identifier printed on the device and sent in every frame, not a secret: what
 * proves a device is its access password (docs/ingest.md "Device access").
 *
 * <p>A 14-digit MN whose first six digits are a region code is in that region's range; only loggers of enterprises in
 * that district may have one, so no district can fill or block another's range.
 */
@Component
public class MnAllocation {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RANGE = 100_000_000;
    private static final int DRAWS = 16;

    private final NamedParameterJdbcTemplate jdbc;

    public MnAllocation(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A free MN of the district; the caller's transaction holds a per-district lock until it inserts the logger. */
    String allocate(String districtCode) {
        jdbc.queryForList("select pg_advisory_xact_lock(hashtext('mn-' || :d))", Map.of("d", districtCode));
        for (int i = 0; i < DRAWS; i++) {
            String mn = districtCode + String.format("%08d", RANDOM.nextInt(RANGE));
            if (!taken(mn)) {
                return mn;
            }
        }
        // a crowded range (never in practice: a district has thousands of loggers in 10^8 numbers): the first gap
        Long gap = jdbc.queryForObject("""
                with used as (select substring(mn from 7)::bigint as n from data_logger where mn ~ ('^' || :d || '[0-9]{8}$'))
                select case when not exists (select 1 from used where n = 0) then 0
                            else (select min(n + 1) from (select n, lead(n) over (order by n) as next from used) t
                                  where n < 99999999 and (next is null or next > n + 1)) end""",
                Map.of("d", districtCode), Long.class);
        if (gap == null) {
            throw ApiException.conflict("区县 " + districtCode + " 已没有可分配的 MN 号");
        }
        return districtCode + String.format("%08d", gap);
    }

    private boolean taken(String mn) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select exists(select 1 from data_logger where mn = :mn)", Map.of("mn", mn), Boolean.class));
    }

    /**
     * Why {@code mn} may not be a logger of an enterprise in {@code districtCode} (another region's range), or null.
     */
    public String rangeProblem(String mn, String districtCode) {
        if (mn == null || !mn.matches("\\d{14}") || mn.startsWith(districtCode)) {
            return null;
        }
        List<String> region = jdbc.queryForList("select name from region where code = :c", Map.of("c", mn.substring(0, 6)), String.class);
        if (region.isEmpty()) {
            return null;
        }
        return "MN " + mn + " 在" + region.get(0) + "（" + mn.substring(0, 6) + "）的号段内；平台的 MN 为“所在区县代码 + 8 位数字”，"
                + "本企业在区县 " + districtCode + "，请留空由平台分配，或使用本区县号段";
    }

    /** {@link #rangeProblem} as a 400 on {@code field}. */
    void requireInRange(String field, String mn, String districtCode) {
        String problem = rangeProblem(mn, districtCode);
        if (problem != null) {
            throw ApiException.badRequest(field, problem);
        }
    }
}
