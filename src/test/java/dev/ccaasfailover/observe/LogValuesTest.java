package dev.ccaasfailover.observe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A client's value in a log line can neither add a line nor grow the log past 200 characters. */
class LogValuesTest {

    @Test
    void lineBreaksAndControlCharactersAreEscaped() {
        assertThat(LogValues.clip("Notification\n12:00:00.000 ERROR forged log line\r\n"))
                .isEqualTo("Notification\\n12:00:00.000 ERROR forged log line\\r\\n");
        assertThat(LogValues.clip("a\tb\u0000c\u001b[31md\u2028e\u0085f\u202eg"))
                .isEqualTo("a\\tb\\u0000c\\u001b[31md\\u2028e\\u0085f\\u202eg");
        assertThat(LogValues.clip("arn:aws:sns:us-east-1:123456789012:ccaas-events")).isEqualTo("arn:aws:sns:us-east-1:123456789012:ccaas-events");
        assertThat(LogValues.clip((String) null)).isEqualTo("-");
    }

    @Test
    void longValuesAreClippedTo200CharactersWithAMark() {
        assertThat(LogValues.clip("x".repeat(200))).isEqualTo("x".repeat(200));
        assertThat(LogValues.clip("x".repeat(201))).hasSize(200).endsWith("x…");
        assertThat(LogValues.clip("x".repeat(10_000_000))).hasSize(200);
        String escapes = LogValues.clip("\n".repeat(500));
        assertThat(escapes).hasSizeLessThanOrEqualTo(200).doesNotContain("\n").endsWith("…");
        String emoji = LogValues.clip("x".repeat(198) + "😀😀");
        assertThat(emoji).hasSize(199).endsWith("x…"); // the pair is not cut in half
    }
}
