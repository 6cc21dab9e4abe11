package dev.ccaasfailover.simulator;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Opaque bearer tokens that really expire, so clients' refresh logic is exercised. */
final class TokenIssuer {

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> expiryByToken = new ConcurrentHashMap<>();
    private final Clock clock;

    TokenIssuer(Clock clock) {
        this.clock = clock;
    }

    String issue(Duration lifetime) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        expiryByToken.put(token, clock.instant().plus(lifetime));
        return token;
    }

    boolean isValid(String token) {
        Instant expiry = token == null ? null : expiryByToken.get(token);
        if (expiry == null) {
            return false;
        }
        if (!clock.instant().isBefore(expiry)) {
            expiryByToken.remove(token);
            return false;
        }
        return true;
    }

    /** Every token issued so far stops working (a "the vendor revoked our sessions" drill). */
    void revokeAll() {
        expiryByToken.clear();
    }
}
