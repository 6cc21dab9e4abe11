package dev.ccaasfailover.store;

import java.util.Objects;

/**
 * One write of {@link Store#putIfVersions}: the item replaces what its key holds only if the stored version equals
 * {@code expectedVersion} (0: only if no live item holds the key), exactly as {@link Store#putIfVersion}.
 */
public record ConditionalPut(StoreItem item, long expectedVersion) {
    public ConditionalPut {
        Objects.requireNonNull(item, "item");
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expectedVersion " + expectedVersion + " < 0");
        }
    }
}
