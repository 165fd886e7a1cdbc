package com.powerwatch.platform.datacheck;

/** How much a finding matters: ERROR = data or alarms are wrong because of it; WARNING = something is missing; INFO = worth a look. */
public enum Severity {
    INFO, WARNING, ERROR
}
