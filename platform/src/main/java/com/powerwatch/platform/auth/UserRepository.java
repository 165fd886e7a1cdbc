package com.powerwatch.platform.auth;

import com.powerwatch.platform.api.ApiException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** SQL on {@code app_user} and {@code app_user_region} shared by login and user administration. */
@Repository
class UserRepository {

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    /** What login needs to decide. */
    record Credentials(long id, String username, Role role, String passwordHash, boolean enabled,
                       boolean mustChangePassword) {
    }

    private static final String VIEW = """
            select u.id, u.username, u.display_name, u.role, u.enterprise_id, u.enabled, u.must_change_password,
                   coalesce((select f.failures from login_failure f where f.username = lower(u.username) and f.address = ''), 0)
                       failed_logins,
                   -- the latest lock of the name: all addresses, or one address that guessed
                   (select max(f.locked_until) from login_failure f where f.username = lower(u.username)
                       and f.locked_until > now()) locked_until,
                   u.last_login_at, u.created_at, u.phone, u.email,
                   array(select trim(r.region_code) from app_user_region r where r.user_id = u.id order by 1) regions,
                   array(select coalesce(g.name, trim(r.region_code)) from app_user_region r
                         left join region g on g.code = r.region_code
                         where r.user_id = u.id order by trim(r.region_code)) region_names,
                   (select e.name from enterprise e where e.id = u.enterprise_id) enterprise_name
            from app_user u""";

    private final NamedParameterJdbcTemplate jdbc;
    /** Replaced password hashes kept per user. */
    private final int history;

    UserRepository(NamedParameterJdbcTemplate jdbc, AuthProperties properties) {
        this.jdbc = jdbc;
        this.history = properties.password().history();
    }

    Optional<Credentials> credentials(String username) {
        return credentials("lower(username) = lower(:u)", new MapSqlParameterSource("u", username));
    }

    Optional<Credentials> credentials(long id) {
        return credentials("id = :id", new MapSqlParameterSource("id", id));
    }

    private Optional<Credentials> credentials(String where, MapSqlParameterSource p) {
        return jdbc.query("select id, username, role, password_hash, enabled, must_change_password from app_user where " + where, p,
                (rs, i) -> new Credentials(rs.getLong("id"), rs.getString("username"), Role.valueOf(rs.getString("role")),
                        rs.getString("password_hash"), rs.getBoolean("enabled"), rs.getBoolean("must_change_password")))
                .stream().findFirst();
    }

    UserView view(long id) {
        return jdbc.query(VIEW + " where u.id = :id", new MapSqlParameterSource("id", id), VIEW_ROW).stream().findFirst()
                .orElseThrow(() -> ApiException.notFound("用户", id));
    }

    /** Users matching all given filters (null = any), by username. */
    List<UserView> find(String text, Role role, Boolean enabled) {
        MapSqlParameterSource p = new MapSqlParameterSource();
        return jdbc.query(VIEW + where(text, role, enabled, p) + " order by u.username", p, VIEW_ROW);
    }

    /** One page of {@link #find}, with the number of all matching users; API clients only when asked for by role. */
    UserAdministration.UserPage page(String text, Role role, Boolean enabled, int page, int size) {
        MapSqlParameterSource p = new MapSqlParameterSource().addValue("limit", size).addValue("offset", (long) page * size);
        String where = where(text, role, enabled, p);
        if (role == null) {
            where += (where.isEmpty() ? " where " : " and ") + "u.role <> 'API_CLIENT'";
        }
        Long total = jdbc.queryForObject("select count(*) from app_user u" + where, p, Long.class);
        List<UserView> items = jdbc.query(VIEW + where + " order by u.username limit :limit offset :offset", p, VIEW_ROW);
        return new UserAdministration.UserPage(items, total == null ? 0 : total, page, size);
    }

    private static String where(String text, Role role, Boolean enabled, MapSqlParameterSource p) {
        List<String> where = new ArrayList<>();
        if (text != null && !text.isBlank()) {
            where.add("(u.username ilike :text or u.display_name ilike :text)");
            p.addValue("text", "%" + text.trim().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (role != null) {
            where.add("u.role = :role");
            p.addValue("role", role.name());
        }
        if (enabled != null) {
            where.add("u.enabled = :enabled");
            p.addValue("enabled", enabled);
        }
        return where.isEmpty() ? "" : " where " + String.join(" and ", where);
    }

    long insert(String username, String displayName, Role role, Long enterpriseId, String passwordHash,
                boolean mustChangePassword, List<String> regions, ContactDetails contact) {
        Long id = jdbc.queryForObject("""
                        insert into app_user (username, display_name, role, enterprise_id, password_hash, must_change_password,
                                              password_changed_at, phone, email)
                        values (:username, :displayName, :role, :enterpriseId, :hash, :mustChange,
                                case when :hasPassword then now() end, :phone, :email)
                        returning id""",
                new MapSqlParameterSource("username", username).addValue("displayName", displayName)
                        .addValue("phone", contact.phone()).addValue("email", contact.email())
                        .addValue("role", role.name()).addValue("enterpriseId", enterpriseId).addValue("hash", passwordHash)
                        .addValue("mustChange", mustChangePassword)
                        .addValue("hasPassword", passwordHash != null), Long.class);
        setRegions(id, regions);
        return id;
    }

    void setRegions(long userId, List<String> regions) {
        jdbc.update("delete from app_user_region where user_id = :id", new MapSqlParameterSource("id", userId));
        for (String region : regions) {
            jdbc.update("insert into app_user_region (user_id, region_code) values (:id, :region)",
                    new MapSqlParameterSource("id", userId).addValue("region", region));
        }
    }

    void setContact(long userId, ContactDetails contact) {
        jdbc.update("update app_user set phone = :phone, email = :email, updated_at = now() where id = :id",
                new MapSqlParameterSource("id", userId).addValue("phone", contact.phone()).addValue("email", contact.email()));
    }

    /**
     * Replaces a user's password; the replaced hash goes to {@code password_history}, of which the newest
     * {@code password.history} are kept (a new password is checked against them, see {@link #previousHashes}).
     */
    void setPassword(long userId, String passwordHash, boolean mustChange) {
        MapSqlParameterSource p = new MapSqlParameterSource("id", userId).addValue("hash", passwordHash)
                .addValue("mustChange", mustChange).addValue("keep", history);
        jdbc.update("""
                insert into password_history (user_id, password_hash)
                select id, password_hash from app_user where id = :id and password_hash is not null""", p);
        jdbc.update("""
                delete from password_history where user_id = :id
                  and id not in (select id from password_history where user_id = :id order by id desc limit :keep)""", p);
        jdbc.update("""
                update app_user set password_hash = :hash, must_change_password = :mustChange, password_changed_at = now(),
                       updated_at = now()
                where id = :id""", p);
    }

    /** The hashes of the user's replaced passwords, newest first. */
    List<String> previousHashes(long userId) {
        return jdbc.queryForList("select password_hash from password_history where user_id = :id order by id desc",
                new MapSqlParameterSource("id", userId), String.class);
    }

    /** The same password under a newer hash (a stronger algorithm): not a change of password. */
    void rehash(long userId, String passwordHash) {
        jdbc.update("update app_user set password_hash = :hash where id = :id",
                new MapSqlParameterSource("id", userId).addValue("hash", passwordHash));
    }

    void loggedIn(long userId) {
        jdbc.update("update app_user set last_login_at = now() where id = :id", new MapSqlParameterSource("id", userId));
    }

    /** Ends every lock and failure count of the user's name, at every address (see {@link LoginLockout}). */
    void unlock(long userId) {
        jdbc.update("delete from login_failure where username = (select lower(username) from app_user where id = :id)",
                new MapSqlParameterSource("id", userId));
    }

    /** Ids of the enabled city administrators, rows locked until the transaction ends (two admins cannot demote each other at once). */
    List<Long> lockActiveAdmins() {
        return jdbc.queryForList("select id from app_user where role = 'CITY_ADMIN' and enabled order by id for update",
                new MapSqlParameterSource(), Long.class);
    }

    boolean exists(String table, String column, Object value) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select exists (select 1 from " + table + " where " + column + " = :v)",
                new MapSqlParameterSource("v", value), Boolean.class));
    }

    /** The region codes among {@code codes} that the region table does not know. */
    List<String> unknownRegions(List<String> codes) {
        if (codes.isEmpty()) {
            return List.of();
        }
        List<String> known = jdbc.queryForList("select trim(code) from region where code in (:codes)",
                new MapSqlParameterSource("codes", codes), String.class);
        return codes.stream().filter(c -> !known.contains(c)).toList();
    }

    NamedParameterJdbcTemplate jdbc() {
        return jdbc;
    }

    private static final RowMapper<UserView> VIEW_ROW = (rs, i) -> new UserView(rs.getLong("id"), rs.getString("username"),
            rs.getString("display_name"), Role.valueOf(rs.getString("role")),
            Arrays.asList((String[]) rs.getArray("regions").getArray()),
            Arrays.asList((String[]) rs.getArray("region_names").getArray()), (Long) rs.getObject("enterprise_id"),
            rs.getString("enterprise_name"), rs.getBoolean("enabled"), rs.getBoolean("must_change_password"), rs.getInt("failed_logins"),
            time(rs, "locked_until"), time(rs, "last_login_at"), time(rs, "created_at"), rs.getString("phone"),
            rs.getString("email"));

    static OffsetDateTime time(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.atZoneSameInstant(CHINA).toOffsetDateTime();
    }

    static OffsetDateTime time(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.atZoneSameInstant(CHINA).toOffsetDateTime();
    }
}
