package com.powerwatch.platform.registry;

/**
 * The quantities PowerWatch reasons about, whatever a vendor calls them in its frames. The factor dictionary
 * (profiles of {@code factor_mapping} rows) maps raw {@code code-field} items to these.
 */
public enum CanonicalQuantity {
    IA("A相电流", "A", Ratio.CT),
    IB("B相电流", "A", Ratio.CT),
    IC("C相电流", "A", Ratio.CT),
    UA("A相电压", "V", Ratio.PT),
    UB("B相电压", "V", Ratio.PT),
    UC("C相电压", "V", Ratio.PT),
    P("有功功率", "kW", Ratio.CT_PT),
    Q("无功功率", "kvar", Ratio.CT_PT),
    PF("功率因数", "", Ratio.NONE),
    E("累计有功电能", "kWh", Ratio.CT_PT),
    E_DAY("日用电量", "kWh", Ratio.CT_PT),
    /** The data flag of the item (N, F, M, …); carried as text, never as a number. */
    FLAG("数据标记", "", Ratio.NONE),
    SWITCH("开关状态", "", Ratio.NONE),
    RUNNING_STATE("运行状态", "", Ratio.NONE),
    RUNNING_HOURS("运行时长", "h", Ratio.NONE),
    FAN_STATE("风机状态", "", Ratio.NONE),
    /** A load current reported by the plant's own instruments (工况), already in primary amperes. */
    LOAD_CURRENT("负荷电流", "A", Ratio.NONE),
    LOAD_PERCENT("生产负荷", "%", Ratio.NONE),
    COMBUSTION_TEMP("燃烧温度", "℃", Ratio.NONE),
    SPRAY_SWITCH("喷淋开关", "", Ratio.NONE),
    CARBON_HOURS("活性炭运行时长", "h", Ratio.NONE),
    PH("pH值", "", Ratio.NONE);

    /** Which transformer ratio turns the meter's secondary value into the primary one. */
    public enum Ratio { NONE, CT, PT, CT_PT }

    private final String label;
    private final String unit;
    private final Ratio ratio;

    CanonicalQuantity(String label, String unit, Ratio ratio) {
        this.label = label;
        this.unit = unit;
        this.ratio = ratio;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    public Ratio ratio() {
        return ratio;
    }

    /** The multiplier for this quantity given a point's CT and PT ratios. */
    public double factor(double ct, double pt) {
        return switch (ratio) {
            case NONE -> 1;
            case CT -> ct;
            case PT -> pt;
            case CT_PT -> ct * pt;
        };
    }
}
