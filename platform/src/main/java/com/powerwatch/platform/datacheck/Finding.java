package com.powerwatch.platform.datacheck;

/**
 * One thing a rule found. Enterprise name and district are added by the runner from its snapshot.
 *
 * @param evidence a JSON object with the actual numbers (built in SQL with jsonb_build_object)
 */
public record Finding(long enterpriseId, ObjectType objectType, long objectId, String objectName, String evidence) {
}
