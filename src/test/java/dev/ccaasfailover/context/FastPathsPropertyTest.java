package dev.ccaasfailover.context;

import org.junit.jupiter.api.Test;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ingest fast paths (timestamps, ids, the phone memo) agree with the java.time, regex and libphonenumber
 * answers they stand in for, over generated inputs (fixed seeds).
 */
class FastPathsPropertyTest {

    @Test
    void utcParseAgreesWithOffsetDateTimeOrStepsAside() {
        Random random = new Random(7L);
        String alphabet = "0123456789-:T.Z+ zt";
        for (int i = 0; i < 200_000; i++) {
            String s;
            if (random.nextBoolean()) {
                // Near-valid: a real instant, then maybe one character changed or the fraction resized.
                Instant t = Instant.ofEpochMilli(random.nextLong() % 40_000_000_000_000L).plusNanos(random.nextInt(1_000_000));
                s = t.toString();
                if (random.nextInt(3) == 0) {
                    char[] c = s.toCharArray();
                    c[random.nextInt(c.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
                    s = new String(c);
                }
            } else {
                StringBuilder b = new StringBuilder(String.format("%04d-%02d-%02dT%02d:%02d:%02d", random.nextInt(10000),
                        random.nextInt(14), random.nextInt(33), random.nextInt(26), random.nextInt(62), random.nextInt(62)));
                int f = random.nextInt(11);
                if (f > 0) {
                    b.append('.');
                    for (int j = 1; j < f; j++) {
                        b.append(random.nextInt(10));
                    }
                }
                b.append(random.nextInt(5) == 0 ? "+00:00" : "Z");
                s = b.toString();
            }
            Instant fast = UtcTimestamps.parseUtc(s);
            Instant reference;
            try {
                reference = OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeException e) {
                reference = null;
            }
            if (fast != null) {
                assertThat(fast).as(s).isEqualTo(reference);
            }
        }
        assertThat(UtcTimestamps.parseUtc("2026-05-01T10:00:00Z")).isEqualTo(Instant.parse("2026-05-01T10:00:00Z"));
        assertThat(UtcTimestamps.parseUtc("2026-05-01T10:00:00.123Z")).isEqualTo(Instant.parse("2026-05-01T10:00:00.123Z"));
        assertThat(UtcTimestamps.parseUtc("2028-02-29T23:59:59.999999999Z")).isNotNull();
        assertThat(UtcTimestamps.parseUtc("2027-02-29T00:00:00Z")).isNull();
    }

    @Test
    void millisFormatAgreesWithTheFormatter() {
        Random random = new Random(11L);
        for (int i = 0; i < 100_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong() % 300_000_000_000L, random.nextInt(1_000_000_000));
            String fast = UtcTimestamps.formatMillis(t);
            if (fast != null) {
                assertThat(fast).as(t.toString()).isEqualTo(CanonicalEvent.TIMESTAMP.format(t));
            }
            assertThat(CanonicalEvent.format(t)).isEqualTo(CanonicalEvent.TIMESTAMP.format(t));
        }
        assertThat(UtcTimestamps.formatMillis(Instant.parse("2026-05-01T10:00:00.1239Z"))).isEqualTo("2026-05-01T10:00:00.123Z");
    }

    @Test
    void idCheckAgreesWithThePattern() {
        Random random = new Random(3L);
        String alphabet = "aZ09._:@/+=#~-!\"$%&'()*,;<>?[\\]^`{|} \té€ß٣";
        for (int i = 0; i < 200_000; i++) {
            int n = random.nextInt(12) == 0 ? 195 + random.nextInt(10) : random.nextInt(12);
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < n; j++) {
                b.append(random.nextInt(4) == 0 ? alphabet.charAt(random.nextInt(alphabet.length())) : (char) ('a' + random.nextInt(26)));
            }
            String s = b.toString();
            assertThat(EventTranslator.isId(s)).as(s).isEqualTo(EventTranslator.ID.matcher(s).matches());
        }
    }

    @Test
    void phoneMemoAnswersLikeAFreshNormalizer() {
        PhoneNormalizer memo = new PhoneNormalizer("US");
        Random random = new Random(5L);
        String[] inputs = {"+13175550142", "(317) 555-0142", "tel:+1 317-555-0142", "12", "garbage", " +1 212 555 0100 ", ""};
        for (int i = 0; i < 5_000; i++) {
            String s = inputs[random.nextInt(inputs.length)];
            assertThat(memo.toE164(s)).as(s).isEqualTo(new PhoneNormalizer("US").toE164(s));
        }
        for (int i = 0; i < PhoneNormalizer.MEMO_SIZE + 10; i++) { // past the bound: emptied, still right
            memo.toE164("+1317555" + String.format("%04d", i % 10000) + (i >= 10000 ? "x" + i : ""));
        }
        assertThat(memo.toE164("+13175550142")).contains("+13175550142");
        assertThat(memo.toE164("x".repeat(200))).isEmpty();
    }

    @Test
    void directEventJsonIsWhatTheMapperWrites() {
        Random random = new Random(11L);
        String alphabet = "aZ09-_.+#:@/ \"\\\u0000\u0001\u001f\u007f\u0080\u00e9\u2028\u20ac\ud83d\ude00\t\n\r\b\f<>&'";
        EventType[] types = EventType.values();
        for (int i = 0; i < 50_000; i++) {
            String[] v = new String[10];
            for (int j = 0; j < v.length; j++) {
                if (j > 0 && random.nextInt(4) == 0) {
                    continue; // null: left out
                }
                StringBuilder b = new StringBuilder();
                for (int k = random.nextInt(12); k > 0; k--) {
                    b.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                v[j] = b.toString();
            }
            CanonicalEvent e = new CanonicalEvent(v[0], random.nextInt(5) == 0 ? null : types[random.nextInt(types.length)],
                    v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
            String direct = EventIngest.writeEvent(e);
            assertThat(direct).as("%s", e).isEqualTo(EventIngest.writeEventWithMapper(e));
            assertThat(EventIngest.readEvent(direct)).isEqualTo(e);
        }
        CanonicalEvent typical = new CanonicalEvent("ev-1", EventType.CallStarted, "genesys", "call-1", "+13175550100",
                "2026-05-01T10:00:00.000Z", "q-1", "billing", "a-1", null, null);
        assertThat(EventIngest.writeEvent(typical)).isEqualTo(EventIngest.writeEventWithMapper(typical));
    }
}
