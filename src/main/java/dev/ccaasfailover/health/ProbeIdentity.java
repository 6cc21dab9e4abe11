package dev.ccaasfailover.health;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The identifiers that make one probe a new transaction (RFC 3261 §8.1.1): a Via branch starting
 * with the magic cookie, a Call-ID and a From tag, fresh for every probe, plus the CSeq number.
 */
record ProbeIdentity(String branch, String callId, String fromTag, long cseq) {

    /** RFC 3261 §8.1.1.7: branches of RFC 3261 transactions start with this. */
    static final String MAGIC_COOKIE = "z9hG4bK";

    private static final SecureRandom RANDOM = new SecureRandom();

    static ProbeIdentity fresh(long cseq) {
        return new ProbeIdentity(MAGIC_COOKIE + randomHex(12), randomHex(16) + "@ccaas-failover", randomHex(8), cseq);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
