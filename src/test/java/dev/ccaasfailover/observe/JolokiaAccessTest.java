package dev.ccaasfailover.observe;

import dev.ccaasfailover.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JolokiaAccessTest {

    static final String PASSWORD = "a-long-enough-password";

    static JolokiaAccess load(String adminToken, String... keyValues) {
        Map<String, String> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return JolokiaAccess.load(props::get, adminToken);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPasswordWithoutAUserOrAUserWithoutAPasswordStopsStartUpNamingTheKey() {
        assertThatThrownBy(() -> load("t", JolokiaAccess.PASSWORD_KEY, PASSWORD))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageStartingWith(JolokiaAccess.USER_KEY + ":");
        assertThatThrownBy(() -> load("t", JolokiaAccess.USER_KEY, "hawtio"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageStartingWith(JolokiaAccess.PASSWORD_KEY + ":");
    }

    @Test
    void aShortPasswordOrAUserWithAColonStopsStartUp() {
        assertThatThrownBy(() -> load("t", JolokiaAccess.USER_KEY, "hawtio", JolokiaAccess.PASSWORD_KEY, "short"))
                .hasMessageStartingWith(JolokiaAccess.PASSWORD_KEY + ":").hasMessageContaining("16");
        assertThatThrownBy(() -> load("t", JolokiaAccess.USER_KEY, "a:b", JolokiaAccess.PASSWORD_KEY, PASSWORD))
                .hasMessageStartingWith(JolokiaAccess.USER_KEY + ":");
    }

    @Test
    void badAllowListEntriesStopStartUpNamingTheEntry() {
        for (String bad : new String[] {"java.lang:type=Memory", "java.lang:type=Memory#", "#gc", "not an mbean#gc",
                "java.lang:type=Memory#*", "java.lang:type=Memory#gc()", "java.lang:type=Memory#gc x"}) {
            assertThatThrownBy(() -> load("t", JolokiaAccess.EXEC_ALLOW_KEY, bad))
                    .as(bad).isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageStartingWith(JolokiaAccess.EXEC_ALLOW_KEY + ":").hasMessageContaining("write e.g.");
        }
    }

    @Test
    void theAllowListTakesMBeanNamesWithCommasAndPatternsSeparatedBySemicolons() throws Exception {
        JolokiaAccess access = load("t", JolokiaAccess.EXEC_ALLOW_KEY,
                " org.apache.camel:context=c,type=routes,name=\"health-tick\"#stop ; org.apache.camel:type=consumers,*#start;");
        assertThat(access.execAllow()).hasSize(2);
        ObjectName tick = new ObjectName("org.apache.camel:context=c,type=routes,name=\"health-tick\"");
        assertThat(access.execAllowed(tick, "stop")).isTrue();
        assertThat(access.execAllowed(tick, "stop()")).isTrue();
        assertThat(access.execAllowed(tick, "stop(long)")).isTrue();
        assertThat(access.execAllowed(tick, "start")).isFalse();
        assertThat(access.execAllowed(new ObjectName("org.apache.camel:context=c,type=routes,name=\"other\""), "stop")).isFalse();
        assertThat(access.execAllowed(new ObjectName("org.apache.camel:context=c,type=consumers,name=x"), "start")).isTrue();
        assertThat(load("t").execAllow()).isEmpty();
    }

    @Test
    void onlyTheAdminTokenOrTheExactBasicCredentialsAuthenticate() {
        JolokiaAccess access = load("admin-token", JolokiaAccess.USER_KEY, "hawtio", JolokiaAccess.PASSWORD_KEY, PASSWORD);
        assertThat(access.authenticates("Bearer admin-token")).isTrue();
        assertThat(access.authenticates("bearer   admin-token ")).isTrue();
        assertThat(access.authenticates(basic("hawtio", PASSWORD))).isTrue();
        assertThat(access.authenticates(null)).isFalse();
        assertThat(access.authenticates("Bearer admin-token2")).isFalse();
        assertThat(access.authenticates("admin-token")).isFalse();
        assertThat(access.authenticates(basic("hawtio", PASSWORD + " "))).isFalse();
        assertThat(access.authenticates(basic("hawti", PASSWORD))).isFalse();
        assertThat(access.authenticates("Basic %%%")).isFalse();
        assertThat(access.authenticates("Basic admin-token")).isFalse();
    }

    @Test
    void withNoAdminTokenAndNoBasicNothingAuthenticates() {
        JolokiaAccess closed = load(null);
        assertThat(closed.hasCredentials()).isFalse();
        assertThat(closed.authenticates("Bearer ")).isFalse();
        assertThat(closed.authenticates("Bearer null")).isFalse();
        assertThat(closed.authenticates(basic("", ""))).isFalse();
        assertThat(load(" ").hasCredentials()).isFalse();
    }
}
