package com.powerwatch.platform.emergency.warning;

/** Published (after commit) when a warning has ended or was lifted: the evaluation report is written for it. */
public record WarningEnded(long warningId) {
}
