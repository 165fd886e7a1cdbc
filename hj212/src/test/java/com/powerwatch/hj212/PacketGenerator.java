package com.powerwatch.hj212;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Random but well-formed packets of all three versions, for property tests. */
final class PacketGenerator {

    private static final String[] CODES = {"a21026", "w01018", "100000", "100003", "ea30010101", "ea30010205", "SB1",
            "i33201", "f21011", "P10001", "e30101", "g10101", "B01", "011", "ele01"};
    private static final String[] FIELDS = {"Rtd", "Avg", "Min", "Max", "Cou", "Flag", "EFlag", "ZsRtd", "ZsAvg", "Ia",
            "Ib", "Ic", "Ua", "Pt", "Ept", "RS", "RT", "SampleTime", "Info", "Pa_ave"};
    private static final String[] CNS = {"2011", "2051", "2061", "2031", "2041", "2021", "2081", "1013", "9015", "3020", "8013"};
    private static final String[] STS = {"21", "22", "31", "32", "44", "51", "80", "91", "101"};
    private static final String[] TEXT = {"清洗管路", "正常", "故障", "维护中", "ok"};
    private static final String ALNUM = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final Random random;

    PacketGenerator(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    Packet next() {
        int versionBits = random.nextInt(3);
        boolean ack = random.nextBoolean();
        boolean split = random.nextInt(4) == 0;
        Integer pnum = null;
        Integer pno = null;
        if (split) {
            pnum = 1 + random.nextInt(9);
            pno = 1 + random.nextInt(pnum);
        }
        Integer flag = (versionBits << 2) | (split ? Packet.FLAG_SPLIT : 0) | (ack ? Packet.FLAG_ACK : 0);
        if (versionBits == 0 && !ack && !split && random.nextBoolean()) {
            flag = null; // 2005 devices usually omit the Flag
        }
        String qn = versionBits == 0 && random.nextBoolean() ? null : timestamp(17);
        Map<String, String> extra = new LinkedHashMap<>();
        if (versionBits == 2 && random.nextInt(5) == 0) {
            extra.put("RF", "1");
        }
        Cp.Builder cp = Cp.builder();
        if (random.nextInt(10) > 0) {
            cp.dataTime(timestamp(random.nextBoolean() ? 14 : 17));
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            cp.param(word(3 + random.nextInt(8)), word(1 + random.nextInt(12)));
        }
        for (int i = random.nextInt(40); i > 0; i--) {
            String field = FIELDS[random.nextInt(FIELDS.length)];
            cp.value(CODES[random.nextInt(CODES.length)], field, value(field));
        }
        return new Packet(qn, STS[random.nextInt(STS.length)], CNS[random.nextInt(CNS.length)],
                random.nextInt(8) == 0 ? "" : word(6), word(7 + random.nextInt(18)), flag, pnum, pno, extra, cp.build(),
                null);
    }

    private String value(String field) {
        switch (field) {
            case "Flag":
                return String.valueOf("NFMSDCTBJ".charAt(random.nextInt(9)));
            case "Info":
                return "//" + TEXT[random.nextInt(TEXT.length)] + "//";
            case "RS":
                return Integer.toString(random.nextInt(6));
            case "SampleTime":
                return timestamp(14);
            default:
                double v = (random.nextDouble() - 0.2) * Math.pow(10, random.nextInt(7));
                return String.format("%." + random.nextInt(5) + "f", v);
        }
    }

    private String word(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
        }
        return sb.toString();
    }

    private String timestamp(int digits) {
        java.time.LocalDateTime t = java.time.LocalDateTime.of(2005 + random.nextInt(25), 1 + random.nextInt(12),
                1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1000) * 1_000_000);
        return digits == 14 ? DataTimes.format14(t) : DataTimes.format17(t);
    }
}
