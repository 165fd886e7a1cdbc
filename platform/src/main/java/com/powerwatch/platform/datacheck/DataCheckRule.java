package com.powerwatch.platform.datacheck;

import java.util.List;

/**
 * One data-check rule. Implementations are Spring beans; the runner finds them all, runs each in its own
 * transaction and records a failing rule's error without stopping the others.
 */
public interface DataCheckRule {

    /** Stable code, e.g. NEGATIVE_ENERGY. */
    String code();

    /** The requirement's Chinese name, e.g. 电量为负. */
    String nameZh();

    Category category();

    Severity severity();

    /** What the rule checks, in Chinese for the UI, with the configured numbers filled in. */
    String definition(DataCheckProperties settings);

    List<Finding> run(CheckContext ctx);
}
