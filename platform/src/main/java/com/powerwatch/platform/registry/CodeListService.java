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

    public record RegionRequest(@NotBlank @Pattern(regexp = "\\d{6}", message = "must be 6 digits") String code,
                                @NotBlank @Size(max = 100) String name, @NotNull @Min(1) @Max(3) Integer level,
                                @Pattern(regexp = "\\d{6}", message = "must be 6 digits") String parentCode) {
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
            throw ApiException.notFound("region", code);
        }
        return found.get(0);
    }

    @Transactional
    public Map<String, Object> saveRegion(String code, RegionRequest r, boolean create) {
        if (!code.equals(r.code())) {
            throw ApiException.badRequest("code", "the code in the path and the body differ");
        }
        if (r.level() == 1 && r.parentCode() != null) {
            throw ApiException.badRequest("parentCode", "a province has no parent");
        }
        if (r.level() > 1) {
            if (r.parentCode() == null) {
                throw ApiException.badRequest("parentCode", "a city or district needs its parent region");
            }
            List<Integer> parentLevel = jdbc.queryForList("select level from region where code = :c", Map.of("c", r.parentCode()), Integer.class);
            if (parentLevel.isEmpty() || parentLevel.get(0) != r.level() - 1) {
                throw ApiException.badRequest("parentCode", "parent " + r.parentCode() + " must be an existing region of level " + (r.level() - 1));
            }
        }
        boolean exists = !jdbc.queryForList("select 1 from region where code = :c", Map.of("c", code)).isEmpty();
        if (create && exists) {
            throw ApiException.conflict("region " + code + " already exists");
        }
        if (!create && !exists) {
            throw ApiException.notFound("region", code);
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
            throw ApiException.notFound("industry", code);
        }
        return found.get(0);
    }
}
