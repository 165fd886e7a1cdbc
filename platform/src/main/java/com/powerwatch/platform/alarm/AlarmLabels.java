package com.powerwatch.platform.alarm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Chinese names of an alarm's states, as the export and the statistics show them (in this order). */
public final class AlarmLabels {

    public static final Map<String, String> STATUS = names("ACTIVE", "报警中", "RECOVERED", "已恢复");
    public static final Map<String, String> HANDLING = names("UNCONFIRMED", "未确认", "CONFIRMED", "已确认", "HANDLED", "已处理",
            "CANCELLED", "已取消");
    /** The dispatch workflow; NONE = not dispatched (null in the table). */
    public static final Map<String, String> WORKFLOW = names("NONE", "未派发", "DISPATCHED", "已派发待反馈", "FEEDBACK", "已反馈待核查",
            "VERIFIED", "已核查待审核", "REVIEWED", "已审核办结");

    private AlarmLabels() {
    }

    private static Map<String, String> names(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }
}
