package com.powerwatch.platform.alarm;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule parameters as the docs write them are the ones the code applies: docs/alarms.md §8 lists every type's
 * parameters with their defaults (and ranges where given), docs/analysis-models.md the FROZEN_VALUE persistence.
 */
class AlarmRuleSchemaDocsTest {

    private static final Path DOCS = Path.of("..", "docs");
    /** "name default" with an optional "(min–max" right after: {@code persistMinutes 15 (1–1440)}. */
    private static final Pattern PARAM = Pattern.compile("\\b([a-z][A-Za-z0-9]+) (-?[\\d,]+(?:\\.\\d+)?)(?: \\((-?[\\d,.]+)–([\\d,.]+))?");

    private static double num(String s) {
        return Double.parseDouble(s.replace(",", ""));
    }

    @Test
    void alarmsMdListsEveryParameterWithTheSchemasDefaultAndRange() throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(DOCS.resolve("alarms.md"))) {
            if (line.startsWith("| type | parameter: default (range) |")) {
                inTable = true;
            } else if (inTable && line.startsWith("| ") && !line.startsWith("|---")) {
                String[] cells = line.split("\\|");
                rows.put(cells[1].trim(), cells[2].trim());
            } else if (inTable && !line.startsWith("|")) {
                break;
            }
        }
        assertEquals(AlarmRuleSchema.BY_TYPE.keySet(), rows.keySet(), "one row per alarm type with parameters");
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> row : rows.entrySet()) {
            Map<String, RuleParameter> schema = new LinkedHashMap<>();
            AlarmRuleSchema.of(row.getKey()).forEach(p -> schema.put(p.name(), p));
            Map<String, String[]> documented = new LinkedHashMap<>(); // name → {default, min, max}
            Matcher m = PARAM.matcher(row.getValue());
            while (m.find()) {
                documented.put(m.group(1), new String[]{m.group(2), m.group(3), m.group(4)});
            }
            if (!documented.keySet().equals(schema.keySet())) {
                wrong.add(row.getKey() + ": documented " + documented.keySet() + ", applied " + schema.keySet());
                continue;
            }
            for (RuleParameter p : schema.values()) {
                String[] d = documented.get(p.name());
                if (num(d[0]) != ((Number) p.defaultValue()).doubleValue()) {
                    wrong.add(row.getKey() + "." + p.name() + ": default documented " + d[0] + ", applied " + p.defaultValue());
                }
                if (d[1] != null && (num(d[1]) != p.min() || num(d[2]) != p.max())) {
                    wrong.add(row.getKey() + "." + p.name() + ": range documented " + d[1] + "–" + d[2]
                            + ", applied " + p.min() + "–" + p.max());
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void analysisModelsMdGivesFrozenValueTheSameDefaults() throws IOException {
        String row = Files.readAllLines(DOCS.resolve("analysis-models.md")).stream()
                .filter(l -> l.startsWith("| **FROZEN_VALUE**")).findFirst().orElseThrow();
        Map<String, Object> defaults = new LinkedHashMap<>();
        AlarmRuleSchema.of("FROZEN_VALUE").forEach(p -> defaults.put(p.name(), p.defaultValue()));
        String[] cells = row.split("\\|");
        String conditions = cells[3];
        String documentedDefaults = cells[5];
        assertTrue(conditions.contains("`identicalSamples`") && conditions.contains("`minimumMinutes`"), row);
        assertTrue(documentedDefaults.trim().startsWith(defaults.get("identicalSamples") + " samples, "
                + defaults.get("minimumMinutes") + " min"), "defaults " + defaults + " in: " + documentedDefaults);
    }
}
