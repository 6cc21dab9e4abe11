package dev.ccaasfailover.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SipStreamReaderTest {

    private static SipStreamReader reader(String stream) {
        return new SipStreamReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void splitsBackToBackMessagesByContentLengthAndSkipsKeepAlives() throws IOException {
        String first = "OPTIONS sip:a SIP/2.0\r\nContent-Length: 4\r\n\r\nbody";
        String second = "OPTIONS sip:b SIP/2.0\r\nl: 0\r\n\r\n";
        SipStreamReader reader = reader("\r\n\r\n" + first + "\r\n\r\n" + second);

        assertThat(text(reader.next())).isEqualTo(first);
        assertThat(text(reader.next())).isEqualTo(second);
        assertThat(reader.next()).isNull();
    }

    @Test
    void missingContentLengthMeansNoBody() throws IOException {
        assertThat(text(reader("SIP/2.0 200 OK\r\nCSeq: 1 OPTIONS\r\n\r\n").next()))
                .isEqualTo("SIP/2.0 200 OK\r\nCSeq: 1 OPTIONS\r\n\r\n");
    }

    @Test
    void truncatedOrBrokenFramesAreErrors() {
        assertThatThrownBy(() -> reader("SIP/2.0 200 OK\r\nCSeq: 1").next()).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> reader("SIP/2.0 200 OK\r\nContent-Length: 9\r\n\r\nabc").next())
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> reader("SIP/2.0 200 OK\r\nContent-Length: x\r\n\r\n").next())
                .hasMessageContaining("bad Content-Length");
    }
}
