package com.powerwatch.platform.registry;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The GB/T 4754-2017 dictionary seeded by V6 (门类, 大类, 13 divisions) and completed by V10 (db/seed-src,
 * industries-gbt4754-2017.tsv): counts per level, a consistent tree, and a few known codes.
 */
class IndustrySeedIntegrationTest extends RegistryTestBase {

    @Test
    void everyLevelIsComplete() {
        Map<Integer, Long> counts = new java.util.HashMap<>();
        jdbc.query("select level, count(*) from industry group by level",
                rs -> {
                    counts.put(rs.getInt(1), rs.getLong(2));
                });
        assertEquals(20L, counts.get(1), "门类");
        assertEquals(97L, counts.get(2), "大类");
        assertEquals(473L, counts.get(3), "中类");
        // The stored sources list 1381 小类 (NBS announced 1380 for 2017; amendment No.1 is cited with 1382): see docs/registry.md.
        assertEquals(1381L, counts.get(4), "小类");
        // every 大类 has 中类, every 中类 has 小类
        assertEquals(0, jdbc.queryForObject("""
                select count(*) from industry p where p.level in (2, 3)
                  and not exists (select 1 from industry c where c.parent_code = p.code)""", Integer.class));
    }

    @Test
    void everyParentExistsOneLevelUp() {
        assertEquals(0, jdbc.queryForObject("select count(*) from industry where level = 1 and parent_code is not null", Integer.class));
        List<String> bad = jdbc.queryForList("""
                select c.code from industry c left join industry p on p.code = c.parent_code
                where c.level > 1 and (p.code is null or p.level <> c.level - 1)""", String.class);
        assertEquals(List.of(), bad);
        // codes nest: a 中类/小类 starts with its parent's code, a 大类 is two digits
        assertEquals(List.of(), jdbc.queryForList("""
                select code from industry where (level = 1 and code !~ '^[A-T]$') or (level = 2 and code !~ '^[0-9]{2}$')
                   or (level in (3, 4) and (length(code) <> level or left(code, level - 1) <> parent_code))""", String.class));
    }

    @Test
    void knownCodes() {
        assertPath("0111", "稻谷种植", "011", "谷物种植", "01", "农业", "A");
        assertPath("6520", "集成电路设计", "652", "集成电路设计", "65", "软件和信息技术服务业", "I");
        assertPath("3360", "金属表面处理及热处理加工", "336", "金属表面处理及热处理加工", "33", "金属制品业", "C");
        assertPath("3741", "飞机制造", "374", "航空、航天器及设备制造", "37", "铁路、船舶、航空航天和其他运输设备制造业", "C");
        assertPath("9620", "村民自治组织", "962", "村民自治组织", "96", "基层群众自治组织及其他组织", "S");
        // the last 小类, the only one of 门类 T
        assertPath("9700", "国际组织", "970", "国际组织", "97", "国际组织", "T");
        assertEquals("涂料制造", name("2641"));
        assertEquals("软件开发", name("651"));
        assertEquals("其他未列明制造业", name("4190"));
        assertEquals("9700", jdbc.queryForObject("select max(code) from industry where level = 4", String.class));
    }

    private void assertPath(String code, String name, String group, String groupName, String division, String divisionName,
                            String section) {
        assertEquals(List.of(name, "4", group), row(code));
        assertEquals(List.of(groupName, "3", division), row(group));
        assertEquals(List.of(divisionName, "2", section), row(division));
    }

    private List<String> row(String code) {
        return jdbc.queryForObject("select name, level, parent_code from industry where code = ?",
                (rs, i) -> List.of(rs.getString(1), String.valueOf(rs.getInt(2)), rs.getString(3)), code);
    }

    private String name(String code) {
        return jdbc.queryForObject("select name from industry where code = ?", String.class, code);
    }
}
