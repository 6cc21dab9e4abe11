package dev.ccaasfailover.simulator;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The current fault of one simulator. Thread-safe: request threads claim the fault (which counts down
 * its {@code times}), the test or admin thread replaces it.
 */
final class FaultState {

    /**
     * One installed fault. {@code replaced} opens when the fault is replaced explicitly, which is what
     * releases hung requests; clearing itself after {@code times} does not release them, so
     * "hang, times 1" means one request hangs and the following ones succeed.
     */
    record Active(Fault fault, AtomicInteger remaining, CountDownLatch replaced) {
        static Active of(Fault fault) {
            return new Active(fault, fault.times() > 0 ? new AtomicInteger(fault.times()) : null, new CountDownLatch(1));
        }
    }

    private final AtomicReference<Active> active = new AtomicReference<>(Active.of(Fault.none()));

    Fault current() {
        return active.get().fault();
    }

    /** Installs a fault and releases whatever the previous one was holding. Returns the previous fault. */
    Fault replace(Fault fault) {
        Active previous = active.getAndSet(Active.of(fault));
        previous.replaced().countDown();
        return previous.fault();
    }

    /** The fault that applies to this request, if any; counts it against {@code times}. */
    Optional<Active> claim(String path) {
        while (true) {
            Active current = active.get();
            if (!current.fault().appliesTo(path)) {
                return Optional.empty();
            }
            if (current.remaining() == null) {
                return Optional.of(current);
            }
            int left = current.remaining().decrementAndGet();
            if (left <= 0) {
                // used up: clear it (unless someone installed another fault meanwhile)
                active.compareAndSet(current, Active.of(Fault.none()));
            }
            if (left >= 0) {
                return Optional.of(current);
            }
            // another thread took the last use; look again at whatever is installed now
        }
    }
}
