package dev.ccaasfailover.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContentTypeCheckTest {

    @Test
    void refusesWildcardsAndJsonInAnotherCharset() {
        assertTrue(PlatformHttpVertx.unusableContentType("*/*"));
        assertTrue(PlatformHttpVertx.unusableContentType("application/*"));
        assertTrue(PlatformHttpVertx.unusableContentType("application/json; charset=x-no-such"));
        assertTrue(PlatformHttpVertx.unusableContentType("application/json; charset=ISO-8859-1"));
        assertTrue(PlatformHttpVertx.unusableContentType("text/plain; charset=x-no-such"));
        assertTrue(PlatformHttpVertx.unusableContentType("text/plain; charset=\"bad name\""));
    }

    @Test
    void acceptsUtf8Json() {
        assertFalse(PlatformHttpVertx.unusableContentType("application/json"));
        assertFalse(PlatformHttpVertx.unusableContentType("application/json; charset=UTF-8"));
        assertFalse(PlatformHttpVertx.unusableContentType("application/json;charset=\"utf-8\""));
        assertFalse(PlatformHttpVertx.unusableContentType("text/plain; charset=UTF-8"));
    }
}
