package com.powerwatch.platform.registry;

import com.powerwatch.platform.api.ApiException;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Map;

/** GB/T 2260 regions and GB/T 4754-2017 industries (seeded by V6; regions can be added when divisions change). */
@Service
public class CodeListService {

    public record RegionRequest(@NotBlank(message = "请填写行政区划代码") @Pattern(regexp = "\\d{6}", message = "行政区划代码须为6位数字") String code,
                                @NotBlank(message = "请填写名称") @Size(max = 100, message = "名称不能超过100个字") String name,
                                @NotNull(message = "请选择级别") @Min(value = 1, message = "级别须为 1（省）、2（市）或 3（区县）")
                                @Max(value = 3, message = "级别须为 1（省）、2（市）或 3（区县）") Integer level,
                                @Pattern(regexp = "\\d{6}", message = "上级行政区划代码须为6位数字") String parentCode) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    public CodeListService(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Regions under a parent (or the provinces), or of one level, optionally matching a name. */
    public List<Map<String, Object>> regions(String parentCode, Integer level, String q) {
        StringBuilder sql = new StringBuilder("select code, name, level, parent_code as \"parentCode\" from region where true");
        MapSqlParameterSource p = new MapSqlParameterSource();
        if (parentCode != null && !parentCode.isBlank()) {
            sql.append(" and parent_code = :parent");
            p.addValue("parent", parentCode.trim());
        } else if (level == null && (q == null || q.isBlank())) {
            sql.append(" and level = 1");
        }
        if (level != null) {
            sql.append(" and level = :level");
            p.addValue("level", level);
        }
        if (q != null && !q.isBlank()) {
            sql.append(" and (name like :q or code like :q)");
            p.addValue("q", "%" + q.trim() + "%");
        }
        return jdbc.queryForList(sql.append(" order by code limit 5000").toString(), p);
    }

    public Map<String, Object> region(String code) {
        List<Map<String, Object>> found = jdbc.queryForList("select code, name, level, parent_code as \"parentCode\" from region where code = :c", Map.of("c", code));
        if (found.isEmpty()) {
            throw ApiException.notFound("行政区划", code);
        }
        return found.get(0);
    }

    @Transactional
    public Map<String, Object> saveRegion(String code, RegionRequest r, boolean create) {
        if (!code.equals(r.code())) {
            throw ApiException.badRequest("code", "地址中的代码与提交内容中的代码不一致");
        }
        if (r.level() == 1 && r.parentCode() != null) {
            throw ApiException.badRequest("parentCode", "省级行政区没有上级");
        }
        if (r.level() > 1) {
            if (r.parentCode() == null) {
                throw ApiException.badRequest("parentCode", "市级和区县级行政区须填写上级行政区");
            }
            List<Integer> parentLevel = jdbc.queryForList("select level from region where code = :c", Map.of("c", r.parentCode()), Integer.class);
            if (parentLevel.isEmpty() || parentLevel.get(0) != r.level() - 1) {
                throw ApiException.badRequest("parentCode", "上级行政区 " + r.parentCode() + " 须为已有的" + (r.level() == 2 ? "省级" : "市级") + "行政区");
            }
        }
        boolean exists = !jdbc.queryForList("select 1 from region where code = :c", Map.of("c", code)).isEmpty();
        if (create && exists) {
            throw ApiException.conflict("行政区划代码 " + code + " 已存在");
        }
        if (!create && !exists) {
            throw ApiException.notFound("行政区划", code);
        }
        MapSqlParameterSource p = new MapSqlParameterSource("c", code).addValue("n", r.name().trim()).addValue("l", r.level()).addValue("p", r.parentCode());
        jdbc.update(create ? "insert into region (code, name, level, parent_code) values (:c, :n, :l, :p)"
                : "update region set name = :n, level = :l, parent_code = :p where code = :c", p);
        return region(code);
    }

    /** Industries by code prefix, name or level; {@code parentCode} lists the children of one class. */
    public List<Map<String, Object>> industries(String code, String q, Integer level, String parentCode) {
        StringBuilder sql = new StringBuilder("select code, name, level, parent_code as \"parentCode\" from industry where true");
        MapSqlParameterSource p = new MapSqlParameterSource();
        if (parentCode != null && !parentCode.isBlank()) {
            sql.append(" and parent_code = :parent");
            p.addValue("parent", parentCode.trim());
        }
        if (code != null && !code.isBlank()) {
            sql.append(" and code like :code");
            p.addValue("code", code.trim() + "%");
        }
        if (q != null && !q.isBlank()) {
            sql.append(" and name like :q");
            p.addValue("q", "%" + q.trim() + "%");
        }
        if (level != null) {
            sql.append(" and level = :level");
            p.addValue("level", level);
        }
        return jdbc.queryForList(sql.append(" order by level, code limit 2000").toString(), p);
    }

    public Map<String, Object> industry(String code) {
        List<Map<String, Object>> found = jdbc.queryForList("select code, name, level, parent_code as \"parentCode\" from industry where code = :c", Map.of("c", code));
        if (found.isEmpty()) {
            throw ApiException.notFound("行业", code);
        }
        return found.get(0);
    }
}
