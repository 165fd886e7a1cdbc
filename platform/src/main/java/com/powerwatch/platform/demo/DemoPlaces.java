package com.powerwatch.platform.demo;

import java.util.Map;

/**
 * Where the demo's enterprises are and what they are called: a plausible Chinese company name (unique within a fleet of
 * eighteen thousand), an address on a real road of its district and WGS-84 coordinates in one of the district's
 * industrial areas, all derived from the logger's index, its district and its industry, so a restart finds the same.
 *
 * <p>Each district has one to three industrial areas (a centre and a radius that keeps every point inside the district
 * boundary of web/public/map/610100.json, which DemoPlacesTest checks); the n-th enterprise of an area sits on a
 * sunflower spiral (golden angle, van der Corput radius) around its centre, so thousands spread and none coincide.
 */
final class DemoPlaces {

    record Place(String name, String address, double longitude, double latitude) {
    }

    /** An industrial area: centre (WGS-84) and radius in km. */
    record Area(double lng, double lat, double radiusKm) {
    }

    record District(String name, String[] roads, Area... areas) {
    }

    /** All 13 districts and counties of Xi'an (GB/T 2260), with roads and industrial areas inside their boundaries. */
    static final Map<String, District> DISTRICTS = Map.ofEntries(
            Map.entry("610102", new District("新城区", new String[]{"长乐中路", "韩森路", "幸福北路"},
                    new Area(108.979, 34.285, 1.2), new Area(109.012, 34.256, 0.6))),
            Map.entry("610103", new District("碑林区", new String[]{"东关正街", "友谊东路", "太乙路"},
                    new Area(108.966, 34.248, 1.2), new Area(108.925, 34.246, 0.6))),
            Map.entry("610104", new District("莲湖区", new String[]{"大兴西路", "土门街", "汉城南路"},
                    new Area(108.885, 34.275, 1.7), new Area(108.905, 34.262, 1.1))),
            Map.entry("610111", new District("灞桥区", new String[]{"纺织城正街", "浐灞大道", "灞桥工业园路"},
                    new Area(109.080, 34.300, 3.0), new Area(109.055, 34.395, 2.5))),
            Map.entry("610112", new District("未央区", new String[]{"凤城十二路", "草滩六路", "尚稷路"},
                    new Area(108.930, 34.360, 3.0), new Area(108.870, 34.330, 3.0))),
            Map.entry("610113", new District("雁塔区", new String[]{"锦业路", "丈八北路", "雁翔路"},
                    new Area(108.895, 34.205, 2.4), new Area(108.980, 34.200, 1.9))),
            Map.entry("610114", new District("阎良区", new String[]{"蓝天路", "西飞大道", "振兴路"},
                    new Area(109.240, 34.660, 2.6), new Area(109.300, 34.680, 1.1))),
            Map.entry("610115", new District("临潼区", new String[]{"新丰工业大道", "秦陵北路", "渭北工业园路"},
                    new Area(109.220, 34.390, 3.0), new Area(109.330, 34.450, 3.0))),
            Map.entry("610116", new District("长安区", new String[]{"航天中路", "神舟四路", "子午大道"},
                    new Area(108.920, 34.160, 1.4), new Area(108.990, 34.130, 3.0), new Area(108.860, 34.120, 3.0))),
            Map.entry("610117", new District("高陵区", new String[]{"泾园七路", "泾环北路", "崇皇路"},
                    new Area(109.050, 34.490, 3.0), new Area(109.100, 34.540, 3.0))),
            Map.entry("610118", new District("鄠邑区", new String[]{"沣京路", "甘亭路", "东大街"},
                    new Area(108.610, 34.110, 3.0), new Area(108.680, 34.130, 2.4))),
            Map.entry("610122", new District("蓝田县", new String[]{"蓝关大道", "北环路", "向阳路"},
                    new Area(109.320, 34.160, 3.0), new Area(109.250, 34.200, 3.0))),
            Map.entry("610124", new District("周至县", new String[]{"二曲工业路", "集贤路", "周一路"},
                    new Area(108.220, 34.170, 3.0), new Area(108.300, 34.180, 2.4))));

    /** Trade-name characters (字号): first and second, disjoint, so that 24 × 24 two-character names never repeat a character. */
    private static final String FIRST = "秦华长汉宏恒鑫瑞金博永嘉新兴中天正德安利元东宝广";
    private static final String SECOND = "川达通源泰盛力远业鼎丰成润航晟创佳隆信和康宇锦辉";
    private static final String[] PREFIXES = {"西安", "陕西"};
    private static final String[] SUFFIXES = {"有限公司", "有限责任公司"};

    /** What an enterprise of each GB/T 4754 小类 calls itself, two ways. */
    private static final Map<String, String[]> TRADES = Map.of(
            "2641", new String[]{"涂料", "化工涂料"},
            "2614", new String[]{"化工", "精细化工"},
            "3011", new String[]{"水泥", "建材"},
            "3360", new String[]{"表面处理", "热处理"},
            "3670", new String[]{"汽车零部件", "汽车配件"},
            "2221", new String[]{"纸业", "包装纸业"},
            "3311", new String[]{"钢结构", "金属结构"},
            "2927", new String[]{"塑料制品", "塑业"});

    private static final double GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));
    private static final double KM_PER_DEGREE = 111.0;

    private DemoPlaces() {
    }

    /**
     * The place of the logger {@code index} of the fleet: {@code inIndustry} is its position among the fleet's
     * enterprises of the same industry, {@code inDistrict} among those of the same district.
     */
    static Place of(String district, String industry, int inIndustry, int inDistrict) {
        District d = DISTRICTS.get(district);
        if (d == null) {
            throw new IllegalArgumentException("no demo places in district " + district);
        }
        String[] trade = TRADES.getOrDefault(industry, new String[]{"实业", "工贸"});
        int k = inIndustry;
        int n = FIRST.length() * SECOND.length();
        // each industry starts elsewhere in the list, so neighbours in the fleet do not share a trade name
        int pair = Math.floorMod(k + industry.hashCode() * 31, n);
        int variant = k / n;
        String tradeName = "" + FIRST.charAt(pair % FIRST.length()) + SECOND.charAt((pair / FIRST.length() + pair) % SECOND.length());
        // a third are 陕西…, a fifth …有限责任公司; a later round of the list (variant) changes the trade word and the suffix
        int suffix = (pair % 5 == 4 ? 1 : 0) ^ ((variant / 2) % 2);
        String name = PREFIXES[pair % 3 == 2 ? 1 : 0] + tradeName + trade[variant % 2] + SUFFIXES[suffix];
        if (variant >= 4) {
            name = name.replace("公司", "公司第" + (variant / 4 + 1) + "分公司");
        }
        Area area = d.areas()[inDistrict % d.areas().length];
        int m = inDistrict / d.areas().length;
        double r = area.radiusKm() * Math.sqrt(vanDerCorput(m + 1));
        double angle = m * GOLDEN_ANGLE;
        double lat = area.lat() + r * Math.sin(angle) / KM_PER_DEGREE;
        double lng = area.lng() + r * Math.cos(angle) / (KM_PER_DEGREE * Math.cos(Math.toRadians(area.lat())));
        String road = d.roads()[m % d.roads().length];
        int number = 1 + (m * 37 + inDistrict * 11) % 298;
        String address = "陕西省西安市" + d.name() + road + number + "号";
        return new Place(name, address, round6(lng), round6(lat));
    }

    /** 0.5, 0.25, 0.75, 0.125, …: radii that fill a disc evenly whatever the count. */
    static double vanDerCorput(int n) {
        double q = 0;
        double b = 0.5;
        for (int i = n; i > 0; i >>= 1) {
            q += b * (i & 1);
            b /= 2;
        }
        return q;
    }

    private static double round6(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
