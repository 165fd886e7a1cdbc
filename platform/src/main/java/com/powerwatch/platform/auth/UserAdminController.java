package com.powerwatch.platform.auth;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/** User management for the city administrator. API clients have their own resource, {@link ApiClientController}. */
@RestController
@RequestMapping("/api/admin/users")
@PreAuthorize("hasRole('CITY_ADMIN')")
public class UserAdminController {

    private final UserAdministration admin;

    public UserAdminController(UserAdministration admin) {
        this.admin = admin;
    }

    /** @param q part of the username or display name */
    @GetMapping
    public List<UserView> list(@RequestParam(required = false) String q, @RequestParam(required = false) Role role,
                               @RequestParam(required = false) Boolean enabled) {
        return admin.find(q, role, enabled);
    }

    /**
     * The same search one page at a time (for lists of thousands of enterprise users), {@code {items, total, page, size}};
     * API clients (managed under /api/admin/api-clients) only with {@code role=API_CLIENT}.
     */
    @GetMapping("/paged")
    public UserAdministration.UserPage page(@RequestParam(required = false) String q, @RequestParam(required = false) Role role,
                                           @RequestParam(required = false) Boolean enabled,
                                           @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        return admin.page(q, role, enabled, page, size);
    }

    @GetMapping("/{id}")
    public UserView get(@PathVariable long id) {
        return admin.get(id);
    }

    /** Without a password a temporary one is generated and returned once; either way it must be changed at the first login. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public UserAdministration.Created create(@RequestBody UserAdministration.UserFields user) {
        return admin.create(user);
    }

    /** Sets display name, role, regions, enterprise, phone and e-mail (all of them: a missing list means no regions, a missing phone none). */
    @PutMapping("/{id}")
    public UserView update(@PathVariable long id, @RequestBody UserAdministration.UserFields user) {
        return admin.update(id, user);
    }

    /** Also revokes all of the user's tokens. */
    @PostMapping("/{id}/disable")
    public UserView disable(@PathVariable long id) {
        return admin.setEnabled(id, false);
    }

    @PostMapping("/{id}/enable")
    public UserView enable(@PathVariable long id) {
        return admin.setEnabled(id, true);
    }

    @PostMapping("/{id}/reset-password")
    public Map<String, Object> resetPassword(@PathVariable long id) {
        return admin.resetPassword(id);
    }

    @PostMapping("/{id}/unlock")
    public UserView unlock(@PathVariable long id) {
        return admin.unlock(id);
    }
}
