package dev.ccaasfailover.security;

import dev.ccaasfailover.http.ApiException;
import org.apache.camel.Header;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Checks the {@code Authorization: Bearer <token>} of a request against the token of the role an endpoint needs.
 * The admin token may call every endpoint. Tokens are compared in constant time and never logged.
 */
public class BearerTokenAuthorizer {

    private static final String ADMIN = "admin";
    private final Map<String, byte[]> tokensByRole;

    public BearerTokenAuthorizer(Map<String, String> tokensByRole) {
        this.tokensByRole = tokensByRole.entrySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey,
                        e -> e.getValue().getBytes(StandardCharsets.UTF_8)));
    }

    /** The check of the role-ingest route configuration (routes/security-bearer.camel.yaml). */
    public void requireIngest(@Header("Authorization") String authorizationHeader) {
        require(authorizationHeader, "ingest");
    }

    /** The check of the role-context route configuration. */
    public void requireContext(@Header("Authorization") String authorizationHeader) {
        require(authorizationHeader, "context");
    }

    /** The check of the role-admin route configuration. */
    public void requireAdmin(@Header("Authorization") String authorizationHeader) {
        require(authorizationHeader, ADMIN);
    }

    /**
     * @throws ApiException 401 when the header is missing or the token belongs to no role; 403 when it belongs
     *                      to another role
     */
    public void require(String authorizationHeader, String role) {
        byte[] presented = bearerToken(authorizationHeader);
        if (presented == null) {
            throw ApiException.unauthorized();
        }
        if (matches(role, presented) || matches(ADMIN, presented)) {
            return;
        }
        for (String other : tokensByRole.keySet()) {
            if (matches(other, presented)) {
                throw ApiException.forbidden(role);
            }
        }
        throw ApiException.unauthorized();
    }

    private boolean matches(String role, byte[] presented) {
        byte[] expected = tokensByRole.get(role);
        return expected != null && MessageDigest.isEqual(expected, presented);
    }

    private static byte[] bearerToken(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.length() <= 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = h.substring(7).trim();
        return token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    }
}
