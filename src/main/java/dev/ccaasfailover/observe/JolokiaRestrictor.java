package dev.ccaasfailover.observe;

import org.jolokia.server.core.restrictor.RestrictorFactory;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;

import javax.management.ObjectName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.Set;

/**
 * The policy file ({@code jolokia-access.xml}) made strict: read-only commands, no attribute writes, and {@code exec}
 * only for operations the allow-list names and the policy does not deny. Jolokia's own policy matching compares
 * the operation as sent, so {@code gc()} slipped past a deny of {@code gc}, and an MBean pattern slipped past a deny
 * of one MBean; both are closed here.
 */
public final class JolokiaRestrictor implements Restrictor {

    public static final String POLICY_LOCATION = "classpath:/jolokia-access.xml";
    static final Set<RequestType> READ_ONLY = EnumSet.of(RequestType.READ, RequestType.LIST, RequestType.SEARCH, RequestType.VERSION);

    private final PolicyRestrictor policy;
    private final JolokiaAccess access;

    JolokiaRestrictor(PolicyRestrictor policy, JolokiaAccess access) {
        this.policy = policy;
        this.access = access;
    }

    /** The policy from the jar; a missing or broken file stops start-up rather than leaving Jolokia open. */
    public static JolokiaRestrictor fromPolicyFile(JolokiaAccess access) {
        try {
            PolicyRestrictor policy = RestrictorFactory.lookupPolicyRestrictor(POLICY_LOCATION);
            if (policy == null) {
                throw new IllegalStateException("Jolokia policy " + POLICY_LOCATION + " not found in the jar; rebuild it");
            }
            return new JolokiaRestrictor(policy, access);
        } catch (IOException e) {
            throw new UncheckedIOException("Jolokia policy " + POLICY_LOCATION + " unreadable", e);
        }
    }

    /** Whether Jolokia may run this kind of request at all (the request gate refuses the rest). */
    boolean isRequestTypeAllowed(RequestType type) {
        if (READ_ONLY.contains(type)) {
            return policy.isTypeAllowed(type);
        }
        return type == RequestType.EXEC && !access.execAllow().isEmpty() && policy.isTypeAllowed(type);
    }

    @Override
    public boolean isTypeAllowed(RequestType type) {
        return isRequestTypeAllowed(type);
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        if (name == null || operation == null || name.isPattern()) {
            return false;
        }
        String op = JolokiaAccess.operationName(operation);
        return isRequestTypeAllowed(RequestType.EXEC)
                && access.execAllowed(name, op)
                && policy.isOperationAllowed(name, op)
                && policy.isOperationAllowed(name, operation);
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return false;
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        return policy.isAttributeReadAllowed(name, attribute);
    }

    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return policy.isHttpMethodAllowed(method);
    }

    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        return policy.isRemoteAccessAllowed(hostOrAddress);
    }

    @Override
    public boolean isOriginAllowed(String origin, boolean onlyWhenStrictCheckingIsEnabled) {
        return policy.isOriginAllowed(origin, onlyWhenStrictCheckingIsEnabled);
    }

    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        return policy.isObjectNameHidden(name);
    }

    @Override
    public boolean ignoreScheme() {
        return policy.ignoreScheme();
    }
}
