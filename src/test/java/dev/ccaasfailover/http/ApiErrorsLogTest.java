package dev.ccaasfailover.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiErrorsLogTest {

    @Test
    void logsNoTokenNorFullPhoneNumber() {
        Exception e = new IllegalStateException("body Authorization=Bearer abc.def.ghi phone +14155550123",
                new RuntimeException("token=s3cret"));
        String text = ApiErrors.sanitized(e);
        assertThat(text).startsWith("java.lang.IllegalStateException").doesNotContain("abc.def").doesNotContain("4155550123");
        Throwable trace = ApiErrors.sanitizedTrace(e);
        assertThat(trace.getCause().getMessage()).doesNotContain("s3cret");
        assertThat(trace.getStackTrace()).isEqualTo(e.getStackTrace());
    }
}
