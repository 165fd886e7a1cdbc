package com.powerwatch.platform.emergency.warning;

import com.powerwatch.platform.emergency.EmergencyLevel;

import java.time.OffsetDateTime;
import java.util.List;

/** Bodies of the warning API. */
public final class WarningRequests {

    private WarningRequests() {
    }

    /**
     * POST /api/emergency/warnings: level, start and end, the issuing document (文号), the districts it covers (district
     * codes, or a city code for all its districts), whose plans (planYear, default the start's year).
     */
    public record Start(EmergencyLevel level, Integer planYear, OffsetDateTime startsAt, OffsetDateTime endsAt, String document,
                        List<String> districtCodes, String reason) {
    }

    /** POST …/{id}/level: upgrade or downgrade from effectiveAt (default now). */
    public record Level(EmergencyLevel level, OffsetDateTime effectiveAt, String document, String reason) {
    }

    /** POST …/{id}/end: a new end time (later: extend; earlier, still in the future: shorten). */
    public record End(OffsetDateTime endsAt, String document, String reason) {
    }

    /** POST …/{id}/lift: lift (解除) at effectiveAt (default now). */
    public record Lift(OffsetDateTime effectiveAt, String document, String reason) {
    }
}
