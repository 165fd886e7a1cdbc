package com.powerwatch.platform.emergency.report;

import com.powerwatch.platform.emergency.board.MeasureEvaluator;
import com.powerwatch.platform.emergency.board.Verdict;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Everything the evaluation report of one warning says, computed once and written as PDF and Excel. */
public record ReportData(Facts facts, Instant generatedAt, Instant at, List<EnterpriseResult> enterprises,
                         Map<String, Object> summary, List<Map<String, Object>> byDistrict, List<Map<String, Object>> byGrade,
                         List<Scope> scopeByDistrict, List<Scope> scopeByIndustry, List<Scope> scopeByGrade,
                         List<IndustryReduction> industries, double ratedHoursPerDay) {

    /** The warning: level, document, period, changes, districts. */
    public record Facts(long id, String level, int planYear, Instant startsAt, Instant endsAt, String document, String status,
                        Instant liftedAt, List<Change> changes, List<String> districtNames) {
    }

    public record Change(String kind, Instant effectiveAt, String levelBefore, String levelAfter, Instant endsBefore, Instant endsAfter,
                         String document, String reason, String by) {
    }

    /**
     * One measure over its period: the evaluation, the production energy drawn (Σ hourly energy of its facilities) and
     * the energy its baseline expects over the same hours (null without a baseline).
     */
    public record MeasureResult(MeasureEvaluator.Evaluation evaluation, double actualKwh, Double expectedKwh, double hours) {
    }

    /** An alarm of the enterprise during the warning and how it was handled. */
    public record AlarmLine(long id, String typeName, String level, Instant startedAt, String status, String handling, String workflow) {
    }

    /**
     * One enterprise: its measures (one per level it was under), the combined verdict (未达标 if any measure is, else
     * 无法判断 if any is, else 达标), production power per hour of the warning (NaN = no data) and the alarms.
     */
    public record EnterpriseResult(long enterpriseId, String name, String districtCode, String districtName, String industryCode,
                                   String industryName, String grade, List<MeasureResult> measures, Verdict.Kind verdict,
                                   double[] hourlyKw, List<AlarmLine> alarms) {

        public MeasureResult last() {
            return measures.get(measures.size() - 1);
        }

        public double actualKwh() {
            return measures.stream().mapToDouble(MeasureResult::actualKwh).sum();
        }

        /** Σ expected energy, or null when a measure has none. */
        public Double expectedKwh() {
            double sum = 0;
            for (MeasureResult m : measures) {
                if (m.expectedKwh() == null) {
                    return null;
                }
                sum += m.expectedKwh();
            }
            return sum;
        }
    }

    /** How many enterprises of a group stop, limit or self-reduce. */
    public record Scope(String code, String name, int enterprises, int stop, int limit, int self) {
    }

    /**
     * 减排估算 of an industry: electricity expected from the baselines and drawn; the estimated emission reduction is taken
     * proportional to the electricity reduction (domain notes §2, the Weifang study).
     */
    public record IndustryReduction(String code, String name, int enterprises, double expectedKwh, double actualKwh) {
        public Double reductionPercent() {
            return expectedKwh <= 0 ? null : Math.round(1000 * (1 - actualKwh / expectedKwh)) / 10.0;
        }
    }
}
