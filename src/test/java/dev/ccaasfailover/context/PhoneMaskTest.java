package dev.ccaasfailover.context;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A phone number in a log line is masked whatever its format: only the country code and the last four remain. */
class PhoneMaskTest {

    @ParameterizedTest
    @ValueSource(strings = {"+13175550142", "tel:+1 317-555-0142", "tel:+1-317-555-0142;ext=12", "+1 (317) 555-0142",
            "sip:+13175550142@carrier.example.com", "+1.317.555.0142", "%2B1%20317%20555%200142", "0013175550142"})
    void internationalFormsKeepTheCountryCodeAndTheLastFour(String raw) {
        assertThat(PhoneMask.mask(raw)).isEqualTo("+1******0142");
    }

    @Test
    void nationalFormsKeepOnlyTheLastFour() {
        assertThat(PhoneMask.mask("(317) 555-0142")).isEqualTo("******0142");
        assertThat(PhoneMask.mask("317 555 0142")).isEqualTo("******0142");
        assertThat(PhoneMask.mask("1.317.555.0142")).isEqualTo("*******0142");
        assertThat(PhoneMask.mask("13175550142")).isEqualTo("*******0142");
        assertThat(PhoneMask.mask("+442079460018")).isEqualTo("+44******0018");
    }

    @Test
    void shortOrOddInputStillLeaksNothingUseful() {
        assertThat(PhoneMask.mask(null)).isEqualTo("-");
        assertThat(PhoneMask.mask("12")).isEqualTo("**");
        assertThat(PhoneMask.mask("5550142")).isEqualTo("*****42");
        assertThat(PhoneMask.mask("1".repeat(40))).isEqualTo("*(40 digits)");
        assertThat(PhoneMask.mask("+١٣١٧٥٥٥٠١٤٢")).isEqualTo("+1******0142"); // Arabic-Indic digits
    }

    @ParameterizedTest
    @ValueSource(strings = {"/context/+13175550142", "/context/tel:+1 317-555-0142", "/context/(317) 555-0142",
            "/context/1.317.555.0142", "/context/tel:%2B1%20317-555-0142", "/context/317-555-0142/x"})
    void numbersInFreeTextAreMaskedWhateverTheirSeparators(String path) {
        String masked = PhoneMask.maskDigitsIn(path);
        assertThat(masked).startsWith("/context/").endsWith(path.endsWith("/x") ? "0142/x" : "0142")
                .doesNotContain("317").doesNotContain("555");
    }

    @Test
    void freeTextWithoutNumbersIsKept() {
        assertThat(PhoneMask.maskDigitsIn("GET /calls/ab12 and /runs/r-7")).isEqualTo("GET /calls/ab12 and /runs/r-7");
        assertThat(PhoneMask.maskDigitsIn(null)).isEqualTo("-");
    }
}
