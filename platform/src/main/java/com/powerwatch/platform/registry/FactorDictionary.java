package com.powerwatch.platform.registry;

import com.powerwatch.hj212.Cp;
import com.powerwatch.hj212.PacketParser;
import com.powerwatch.platform.api.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Factor profiles and their mappings (data, not code: a new vendor is a new profile), and the preview that runs
 * {@link CanonicalMapper} on a CP string the way telemetry will.
 */
@Service
public class FactorDictionary {

    public record MappingRequest(@NotBlank(message = "请填写因子代码模板") @Size(max = 40, message = "因子代码模板不能超过40个字符")
                                 @Pattern(regexp = "[A-Za-z0-9_{}\\-]+", message = "因子代码模板只能含字母、数字、_、- 和 {ch}") String codeTemplate,
                                 @NotBlank(message = "请填写数据字段") @Size(max = 20, message = "数据字段不能超过20个字符")
                                 @Pattern(regexp = "[A-Za-z0-9_]+", message = "数据字段只能含字母、数字或下划线") String field,
                                 @NotNull(message = "请选择物理量") CanonicalQuantity quantity, @Positive(message = "系数须大于 0") Double scale) {
    }

    public record ProfileRequest(@NotBlank(message = "请填写配置代码") @Size(max = 40, message = "配置代码不能超过40个字符")
                                 @Pattern(regexp = "[a-z0-9][a-z0-9\\-]*", message = "配置代码只能含小写字母、数字和 -，并以字母或数字开头") String code,
                                 @NotBlank(message = "请填写名称") @Size(max = 200, message = "名称不能超过200个字") String name,
                                 @Size(max = 2000, message = "说明不能超过2000个字") String description,
                                 @Valid List<MappingRequest> mappings) {
    }

    public record PreviewRequest(@Size(max = 32, message = "通道不能超过32个字符") String channel,
                                 @Positive(message = "CT 变比须大于 0") Double ct, @Positive(message = "PT 变比须大于 0") Double pt,
                                 @NotBlank(message = "请填写 CP 数据") @Size(max = 8000, message = "CP 数据不能超过8000个字符") String cp) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    public FactorDictionary(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<Map<String, Object>> profiles() {
        return jdbc.queryForList("""
                select p.code, p.name, p.description, (select count(*) from factor_mapping m where m.profile = p.code) as "mappingCount"
                from factor_profile p order by p.code""", Map.of());
    }

    public Map<String, Object> profile(String code) {
        List<Map<String, Object>> found = jdbc.queryForList("select code, name, description from factor_profile where code = :c", Map.of("c", code));
        if (found.isEmpty()) {
            throw ApiException.notFound("因子配置", code);
        }
        Map<String, Object> p = new LinkedHashMap<>(found.get(0));
        p.put("mappings", mappings(code).stream().map(m -> Map.of("codeTemplate", m.codeTemplate(), "field", m.field(),
                "quantity", m.quantity().name(), "scale", m.scale())).toList());
        return p;
    }

    /** The mappings of a profile, as {@link CanonicalMapper} takes them; rows naming an unknown quantity are skipped. */
    public List<FactorMapping> mappings(String profile) {
        List<FactorMapping> out = new ArrayList<>();
        jdbc.query("select code_template, field, quantity, scale from factor_mapping where profile = :p order by code_template, field",
                Map.of("p", profile), rs -> {
                    try {
                        out.add(new FactorMapping(profile, rs.getString(1), rs.getString(2), CanonicalQuantity.valueOf(rs.getString(3)), rs.getDouble(4)));
                    } catch (IllegalArgumentException unknown) {
                        // a quantity this version does not know: ignored rather than failing every frame
                    }
                });
        return out;
    }

    @Transactional
    public Map<String, Object> create(ProfileRequest r) {
        Boolean exists = jdbc.queryForObject("select exists(select 1 from factor_profile where code = :c)", Map.of("c", r.code()), Boolean.class);
        if (Boolean.TRUE.equals(exists)) {
            throw ApiException.conflict("因子配置“" + r.code() + "”已存在");
        }
        jdbc.update("insert into factor_profile (code, name, description) values (:c, :n, :d)",
                new MapSqlParameterSource("c", r.code()).addValue("n", r.name()).addValue("d", r.description()));
        replaceMappings(r.code(), r.mappings());
        return profile(r.code());
    }

    /** Updates name and description; when {@code mappings} is given it replaces the profile's mappings. */
    @Transactional
    public Map<String, Object> update(String code, ProfileRequest r) {
        profile(code);
        if (!code.equals(r.code())) {
            throw ApiException.badRequest("code", "因子配置代码不能修改（监测点引用了它）");
        }
        jdbc.update("update factor_profile set name = :n, description = :d where code = :c",
                new MapSqlParameterSource("c", code).addValue("n", r.name()).addValue("d", r.description()));
        if (r.mappings() != null) {
            jdbc.update("delete from factor_mapping where profile = :c", Map.of("c", code));
            replaceMappings(code, r.mappings());
        }
        return profile(code);
    }

    @Transactional
    public void delete(String code) {
        profile(code);
        Long used = jdbc.queryForObject("select count(*) from monitoring_point where profile = :c", Map.of("c", code), Long.class);
        if (used != null && used > 0) {
            throw ApiException.conflict("因子配置“" + code + "”正被 " + used + " 个监测点使用，不能删除");
        }
        jdbc.update("delete from factor_profile where code = :c", Map.of("c", code));
    }

    private void replaceMappings(String code, List<MappingRequest> mappings) {
        if (mappings == null) {
            return;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < mappings.size(); i++) {
            MappingRequest m = mappings.get(i);
            if (!seen.add(m.codeTemplate() + "-" + m.field())) {
                throw ApiException.badRequest("mappings[" + i + "]", "映射 " + m.codeTemplate() + "-" + m.field() + " 重复");
            }
            jdbc.update("insert into factor_mapping (profile, code_template, field, quantity, scale) values (:p, :t, :f, :q, :s)",
                    new MapSqlParameterSource("p", code).addValue("t", m.codeTemplate()).addValue("f", m.field())
                            .addValue("q", m.quantity().name()).addValue("s", m.scale() == null ? 1.0 : m.scale()));
        }
    }

    public List<Map<String, Object>> quantities() {
        return Arrays.stream(CanonicalQuantity.values()).map(q -> Map.<String, Object>of("code", q.name(), "label", q.label(),
                "unit", q.unit(), "ratio", q.ratio().name())).toList();
    }

    /** What the profile makes of a CP string (or a whole data segment) for a channel and CT/PT. */
    public Map<String, Object> preview(String profileCode, PreviewRequest r) {
        profile(profileCode);
        Cp cp = parseCp(r.cp());
        CanonicalMapper.Result result = CanonicalMapper.map(mappings(profileCode), r.channel() == null ? "" : r.channel(),
                r.ct() == null ? 1 : r.ct(), r.pt() == null ? 1 : r.pt(), cp.values());
        List<Map<String, Object>> values = new ArrayList<>();
        result.values().forEach((q, v) -> values.add(Map.of("quantity", q.name(), "label", q.label(), "unit", q.unit(), "value", v,
                "source", result.sources().get(q))));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("profile", profileCode);
        out.put("dataTime", cp.dataTime());
        out.put("values", values);
        out.put("flag", result.flag());
        out.put("invalid", result.invalid());
        out.put("unmapped", result.unmapped());
        return out;
    }

    /** Accepts the CP text ({@code DataTime=…;a-b=1,…}) or a whole data segment ({@code QN=…;…;CP=&&…&&}). */
    static Cp parseCp(String text) {
        String t = text.trim();
        String segment = t.contains("CP=&&") ? t : "QN=20000101000000000;ST=32;CN=2011;PW=123456;MN=PREVIEW;Flag=4;CP=&&" + t + "&&";
        PacketParser.Outcome outcome = PacketParser.parse(segment);
        if (!outcome.ok() || outcome.packet() == null || outcome.packet().cp() == null) {
            throw ApiException.badRequest("cp", "无法解析 CP 数据：" + outcome.message());
        }
        return outcome.packet().cp();
    }
}
