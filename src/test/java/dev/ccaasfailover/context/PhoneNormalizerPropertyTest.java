package dev.ccaasfailover.context;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Property tests over generated inputs (fixed seed): every way of writing one number is one caller. */
class PhoneNormalizerPropertyTest {

    private final PhoneNormalizer us = new PhoneNormalizer("US");

    @Test
    void theGuidesThreeSpellingsAreOneCaller() {
        assertThat(us.toE164("tel:+1 317-555-0142")).contains("+13175550142");
        assertThat(us.toE164("13175550142")).contains("+13175550142");
        assertThat(us.toE164("+13175550142")).contains("+13175550142");
        assertThat(us.toE164("(317) 555-0142")).contains("+13175550142");
        assertThat(us.toE164("sip:+13175550142@carrier.example.com")).contains("+13175550142");
    }

    @Test
    void everyFormattingOfAValidNumberNormalizesToTheSameE164() {
        Random random = new Random(20260501L);
        String[] areaCodes = {"317", "212", "415", "617", "312", "202", "646", "305", "206", "512"};
        for (int i = 0; i < 2000; i++) {
            String area = areaCodes[random.nextInt(areaCodes.length)];
            String exchange = String.valueOf(200 + random.nextInt(799));
            String line = String.format("%04d", random.nextInt(10000));
            String e164 = "+1" + area + exchange + line;
            if (us.toE164(e164).isEmpty()) {
                continue; // some generated exchanges are unassigned: invalid whatever the spelling
            }
            String[] spellings = {
                    e164, "1" + area + exchange + line, area + exchange + line, "tel:" + e164,
                    "tel:+1 " + area + "-" + exchange + "-" + line, "(" + area + ") " + exchange + "-" + line,
                    "+1." + area + "." + exchange + "." + line, " +1 (" + area + ") " + exchange + " " + line + " "};
            for (String s : spellings) {
                assertThat(us.toE164(s)).as(s).contains(e164);
            }
        }
    }

    @Test
    void garbageIsNeverANumber() {
        Random random = new Random(42L);
        String alphabet = "abcXYZ!@#$%^&*()_=[]{};:'\",<>/?\\|`~ ";
        for (int i = 0; i < 2000; i++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(20);
            for (int j = 0; j < n; j++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThat(us.toE164(b.toString())).as(b.toString()).isEmpty();
        }
        assertThat(us.toE164(null)).isEmpty();
        assertThat(us.toE164("12")).isEmpty();
        assertThat(us.toE164("+999999999999")).isEmpty();
        assertThat(us.toE164("1".repeat(100))).isEmpty();
    }

    @Test
    void theDefaultRegionReadsNationalNumbers() {
        assertThat(new PhoneNormalizer("GB").toE164("020 7946 0018")).contains("+442079460018");
        assertThat(new PhoneNormalizer("GB").toE164("+1 317 555 0142")).contains("+13175550142");
    }
}
