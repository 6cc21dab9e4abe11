package dev.ccaasfailover.observe;

import dev.ccaasfailover.config.InvalidConfigurationException;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who may talk to Jolokia, and which MBean operations an authenticated caller may execute. Credentials are the
 * admin role's bearer token, or HTTP Basic with a user and password from the environment (what Hawtio sends).
 * Neither configured means nobody gets in. Compared in constant time, never logged.
 */
public final class JolokiaAccess {

    public static final String USER_KEY = "failover.management.jolokia.user";
    public static final String PASSWORD_KEY = "failover.management.jolokia.password";
    public static final String EXEC_ALLOW_KEY = "failover.management.jolokia.exec-allow";
    static final int MIN_PASSWORD_LENGTH = 16;

    /** Jolokia's own split of {@code op(type,...)}: the name before the signature is what the MBean runs. */
    private static final Pattern SIGNATURE = Pattern.compile("^(.*)\\((.*)\\)$");
    private static final Pattern OPERATION_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    /** One entry of the exec allow-list: an MBean name (or pattern) and one operation name. */
    public record ExecGrant(ObjectName mbean, String operation) {
        boolean permits(ObjectName name, String operationName) {
            return operation.equals(operationName) && mbean.apply(name);
        }
    }

    private final byte[] adminToken;
    private final byte[] basicCredentials;
    private final List<ExecGrant> execAllow;

    JolokiaAccess(String adminToken, String user, String password, List<ExecGrant> execAllow) {
        this.adminToken = adminToken == null ? null : adminToken.getBytes(StandardCharsets.UTF_8);
        this.basicCredentials = user == null ? null : (user + ":" + password).getBytes(StandardCharsets.UTF_8);
        this.execAllow = List.copyOf(execAllow);
    }

    /**
     * @param lookup     resolves a key to its value (null or blank when unset)
     * @param adminToken the admin role's token, or null when that role is locked out
     * @throws InvalidConfigurationException naming the key and the fix
     */
    public static JolokiaAccess load(Function<String, String> lookup, String adminToken) {
        String user = blankToNull(lookup.apply(USER_KEY));
        String rawPassword = lookup.apply(PASSWORD_KEY);
        String password = rawPassword == null || rawPassword.isBlank() ? null : rawPassword;
        if (password != null && user == null) {
            throw new InvalidConfigurationException(USER_KEY, "is empty while " + PASSWORD_KEY
                    + " is set; set FAILOVER_JOLOKIA_USER (e.g. hawtio) or leave both empty");
        }
        if (user != null && password == null) {
            throw new InvalidConfigurationException(PASSWORD_KEY, "is empty while " + USER_KEY
                    + " is set; set FAILOVER_JOLOKIA_PASSWORD (e.g. openssl rand -hex 24) or leave both empty");
        }
        if (user != null && user.contains(":")) {
            throw new InvalidConfigurationException(USER_KEY, "must not contain ':' (HTTP Basic splits there); write e.g. hawtio");
        }
        if (password != null && password.length() < MIN_PASSWORD_LENGTH) {
            throw new InvalidConfigurationException(PASSWORD_KEY, "is shorter than " + MIN_PASSWORD_LENGTH
                    + " characters; set FAILOVER_JOLOKIA_PASSWORD to a random one, e.g. openssl rand -hex 24");
        }
        return new JolokiaAccess(blankToNull(adminToken), user, password, parseExecAllow(lookup.apply(EXEC_ALLOW_KEY)));
    }

    /**
     * {@code mbeanName#operation} entries separated by ';' (MBean names hold commas), e.g.
     * {@code org.apache.camel:context=ccaas-failover,type=routes,name="health-tick"#start}.
     */
    static List<ExecGrant> parseExecAllow(String value) {
        List<ExecGrant> grants = new ArrayList<>();
        if (blankToNull(value) == null) {
            return grants;
        }
        for (String raw : value.split(";")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int hash = entry.lastIndexOf('#');
            if (hash <= 0 || hash == entry.length() - 1) {
                throw badGrant(entry, "is not mbeanName#operation");
            }
            String operation = entry.substring(hash + 1).trim();
            if (!OPERATION_NAME.matcher(operation).matches()) {
                throw badGrant(entry, "names operation '" + operation + "', which is not one operation's name (no '*', no signature)");
            }
            try {
                grants.add(new ExecGrant(new ObjectName(entry.substring(0, hash).trim()), operation));
            } catch (MalformedObjectNameException e) {
                throw badGrant(entry, "has no valid MBean name (" + e.getMessage() + ")");
            }
        }
        return grants;
    }

    private static InvalidConfigurationException badGrant(String entry, String problem) {
        return new InvalidConfigurationException(EXEC_ALLOW_KEY, "entry '" + entry + "' " + problem
                + "; write e.g. " + EXEC_ALLOW_KEY + "=org.apache.camel:context=ccaas-failover,type=routes,name=\"health-tick\"#start");
    }

    /** Whether anybody at all can get in: false means every Jolokia request is refused. */
    public boolean hasCredentials() {
        return adminToken != null || basicCredentials != null;
    }

    public boolean basicEnabled() {
        return basicCredentials != null;
    }

    public List<ExecGrant> execAllow() {
        return execAllow;
    }

    /** True when the {@code Authorization} header carries the admin token or the Basic user and password. */
    public boolean authenticates(String authorizationHeader) {
        if (authorizationHeader == null) {
            return false;
        }
        String h = authorizationHeader.trim();
        int space = h.indexOf(' ');
        if (space < 0) {
            return false;
        }
        String scheme = h.substring(0, space);
        String value = h.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer")) {
            return adminToken != null && MessageDigest.isEqual(adminToken, value.getBytes(StandardCharsets.UTF_8));
        }
        if (scheme.equalsIgnoreCase("Basic") && basicCredentials != null) {
            try {
                return MessageDigest.isEqual(basicCredentials, Base64.getDecoder().decode(value));
            } catch (IllegalArgumentException notBase64) {
                return false;
            }
        }
        return false;
    }

    /** Whether the allow-list names this operation (signature stripped, as Jolokia does) on this MBean. */
    public boolean execAllowed(ObjectName name, String operation) {
        String op = operationName(operation);
        return execAllow.stream().anyMatch(g -> g.permits(name, op));
    }

    /** {@code gc()} and {@code requestBody(java.lang.String,java.lang.Object)} run {@code gc} and {@code requestBody}. */
    static String operationName(String operation) {
        Matcher m = SIGNATURE.matcher(operation);
        return m.matches() ? m.group(1) : operation;
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }
}
