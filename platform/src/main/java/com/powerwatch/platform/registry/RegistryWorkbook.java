package com.powerwatch.platform.registry;

import java.util.List;
import java.util.Map;

/**
 * The Excel layout of the registry, shared by the template, the export and the import so that an export imports
 * back unchanged. Headers are Chinese (users fill them in); values of coded columns are shown in Chinese too.
 */
final class RegistryWorkbook {

    static final String ENTERPRISES = "企业";
    static final String FACILITIES = "设施";
    static final String POINTS = "监测点";
    static final String ASSOCIATIONS = "产治关联";
    static final String HELP = "说明";

    /** A column: header, whether required, and what it takes (for the 说明 sheet). */
    record Column(String header, boolean required, String help) {
    }

    static final List<Column> ENTERPRISE_COLUMNS = List.of(
            new Column("统一社会信用代码", false, "18位，校验位按 GB 32100-2015 检查；有代码时按代码匹配已有企业，否则按企业名称"),
            new Column("企业名称", true, "≤200字"),
            new Column("区县代码", true, "GB/T 2260 六位代码，须为区县级（或不设区的地级市），如 610113"),
            new Column("行业代码", false, "GB/T 4754-2017 代码（门类字母或2-4位数字），如 3360"),
            new Column("地址", false, ""),
            new Column("经度", false, "十进制度"),
            new Column("纬度", false, "十进制度"),
            new Column("坐标系", false, "WGS84（默认）或 GCJ02（高德/腾讯地图坐标，导入时转为 WGS84 保存）"),
            new Column("排污许可管理类别", false, "重点 / 简化 / 登记"),
            new Column("绩效分级", false, "A / B / C / D / 引领性"),
            new Column("联系人", false, "多个联系人用；分隔，每个为 姓名,职务,电话"),
            new Column("状态", false, "正常（默认）/ 停产 / 关闭"));

    static final List<Column> FACILITY_COLUMNS = List.of(
            new Column("企业信用代码", false, "与企业名称至少填一项，用于找到企业（本表企业页或系统中已有企业）"),
            new Column("企业名称", false, ""),
            new Column("设施名称", true, "同一企业内唯一"),
            new Column("设施类型", true, "产污 / 治污 / 总用电"),
            new Column("生产线", false, "不存在时自动建立"),
            new Column("工艺类型", false, "如 喷涂线、RTO、活性炭吸附、布袋除尘、喷淋塔"),
            new Column("额定功率(kW)", false, "> 0"),
            new Column("阈值量", false, "P（有功功率 kW，默认）或 I（电流 A）"),
            new Column("停机阈值", false, "低于此值为停机；≥ 0，≤ 运行阈值"),
            new Column("运行阈值", false, "高于此值为运行；阈值量为 P 时 ≤ 额定功率"),
            new Column("异常低阈值", false, "仅治污设施：运行但低于此值为异常（降频/空转）；≥ 运行阈值"),
            new Column("状态", false, "在用（默认）/ 停用"));

    static final List<Column> POINT_COLUMNS = List.of(
            new Column("企业信用代码", false, "与企业名称至少填一项"),
            new Column("企业名称", false, ""),
            new Column("设施名称", true, "本表设施页或系统中该企业已有的设施"),
            new Column("监测点名称", true, ""),
            new Column("MN", true, "数采仪编号，6-24位字母数字；未登记的 MN 导入时分配给该企业，已属其他企业则报错"),
            new Column("通道", false, "帧内因子前缀，如 100001、ea300101、f21011、SB1；(MN, 通道) 唯一"),
            new Column("因子配置", true, "因子字典中的配置代码，如 elec-a、elec-b、elec-c"),
            new Column("CT变比", false, "> 0，默认 1"),
            new Column("PT变比", false, "> 0，默认 1"),
            new Column("联网日期", false, "yyyy-MM-dd"),
            new Column("状态", false, "在用（默认）/ 停用"));

    static final List<Column> ASSOCIATION_COLUMNS = List.of(
            new Column("企业信用代码", false, "与企业名称至少填一项"),
            new Column("企业名称", false, ""),
            new Column("产污设施名称", true, "该企业的产污设施"),
            new Column("治污设施名称", true, "该企业的治污设施"),
            new Column("开机提前量(分钟)", false, "治污须先于产污开机的容差，默认 10"),
            new Column("停机滞后量(分钟)", false, "治污须晚于产污停机的容差，默认 30"));

    static final Map<String, List<Column>> SHEETS = Map.of(ENTERPRISES, ENTERPRISE_COLUMNS, FACILITIES, FACILITY_COLUMNS,
            POINTS, POINT_COLUMNS, ASSOCIATIONS, ASSOCIATION_COLUMNS);
    static final List<String> ORDER = List.of(ENTERPRISES, FACILITIES, POINTS, ASSOCIATIONS);

    static final Map<String, String> PERMIT = Map.of("重点", "KEY", "简化", "SIMPLIFIED", "登记", "REGISTERED");
    static final Map<String, String> GRADE = Map.of("A", "A", "B", "B", "C", "C", "D", "D", "引领性", "LEADING");
    static final Map<String, String> ENTERPRISE_STATUS = Map.of("正常", "ACTIVE", "停产", "SUSPENDED", "关闭", "CLOSED");
    static final Map<String, String> KIND = Map.of("产污", "PRODUCTION", "治污", "TREATMENT", "总用电", "TOTAL");
    static final Map<String, String> ITEM_STATUS = Map.of("在用", "ACTIVE", "停用", "RETIRED");

    /** The Chinese label of a stored code, for the export. */
    static String label(Map<String, String> labels, String code) {
        if (code == null) {
            return null;
        }
        return labels.entrySet().stream().filter(e -> e.getValue().equals(code)).map(Map.Entry::getKey).findFirst().orElse(code);
    }

    private RegistryWorkbook() {
    }
}
