package dev.ccaasfailover.simulator;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The fault schedule of a simulator: a function from the request index to the {@link SipFault} to
 * apply. The index is 0 for the first request received after the plan was installed, so a test
 * that sets a sequence knows exactly which request each element hits. ACKs are never answered and
 * take no index; a UDP retransmission is a request like any other and does take one. Thread-safe: the plan and
 * its counter are swapped together atomically.
 */
final class SipFaultPlan {

    private record Installed(Function<Integer, SipFault> schedule, AtomicInteger nextIndex) {
    }

    private final AtomicReference<Installed> current = new AtomicReference<>();

    SipFaultPlan() {
        always(SipFault.answer());
    }

    void always(SipFault fault) {
        Objects.requireNonNull(fault, "fault");
        install(index -> fault);
    }

    /** Element i applies to request i; after the end, the last element keeps applying. */
    void sequence(List<SipFault> faults) {
        if (faults == null || faults.isEmpty()) {
            throw new IllegalArgumentException("a fault sequence needs at least one element");
        }
        List<SipFault> copy = List.copyOf(faults);
        install(index -> copy.get(Math.min(index, copy.size() - 1)));
    }

    void install(Function<Integer, SipFault> schedule) {
        Objects.requireNonNull(schedule, "schedule");
        current.set(new Installed(schedule, new AtomicInteger()));
    }

    /** Takes the next index and returns its fault; a null from a user function means answer. */
    SipFault next() {
        Installed plan = current.get();
        SipFault fault = plan.schedule().apply(plan.nextIndex().getAndIncrement());
        return fault == null ? SipFault.answer() : fault;
    }
}
