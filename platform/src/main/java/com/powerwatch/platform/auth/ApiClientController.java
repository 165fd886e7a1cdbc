package com.powerwatch.platform.auth;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * Other bureau systems (data-sharing interfaces, Prometheus): an API_CLIENT user that holds bearer tokens instead
 * of a password. A token is shown only when created or rotated; the database keeps its SHA-256.
 */
@RestController
@RequestMapping("/api/admin/api-clients")
@PreAuthorize("hasRole('CITY_ADMIN')")
public class ApiClientController {

    /**
     * @param regions   when given, the client reads only enterprises under these regions
     * @param validDays token lifetime; leave out for a token that lives until revoked
     */
    public record NewClient(String username, String displayName, List<String> regions, Integer validDays) {
    }

    public record Rotation(Integer validDays) {
    }

    private final UserAdministration admin;

    public ApiClientController(UserAdministration admin) {
        this.admin = admin;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public UserAdministration.ApiClientToken create(@RequestBody NewClient client) {
        return admin.createApiClient(client.username(), client.displayName(), client.regions(), client.validDays());
    }

    @GetMapping
    public List<UserAdministration.ApiClient> list() {
        return admin.apiClients();
    }

    @PostMapping("/{id}/revoke")
    public UserAdministration.ApiClient revoke(@PathVariable long id) {
        return admin.revokeApiTokens(id);
    }

    /** Revokes the current tokens and returns a new one (once). */
    @PostMapping("/{id}/rotate")
    public UserAdministration.ApiClientToken rotate(@PathVariable long id, @RequestBody(required = false) Rotation rotation) {
        return admin.rotateApiToken(id, rotation == null ? null : rotation.validDays());
    }
}
