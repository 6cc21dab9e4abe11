package dev.ccaasfailover.runbook;

import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.store.Store;
import dev.ccaasfailover.store.StoreItem;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The control-plane state item in the store, read with its version and written only conditionally. */
public class ControlPlane {

    private final Store store;
    private final Platform primary;

    public ControlPlane(Store store, Platform primary) {
        this.store = store;
        this.primary = primary;
    }

    /** The current state; NORMAL on the primary (version 0) when nothing was ever written. */
    public Versioned<ControlPlaneState> read() {
        return store.get(ControlPlaneState.TABLE, ControlPlaneState.KEY, ControlPlaneState.SORT_KEY)
                .map(item -> new Versioned<>(parse(item.data()), item.version()))
                .orElse(new Versioned<>(new ControlPlaneState(ControlPlaneState.Phase.NORMAL, primary.id()), 0));
    }

    /** Writes {@code next} only if the stored version is still {@code expectedVersion}; false = another writer won. */
    public boolean compareAndSet(ControlPlaneState next, long expectedVersion) {
        StoreItem item = StoreItem.of(ControlPlaneState.TABLE, ControlPlaneState.KEY, ControlPlaneState.SORT_KEY,
                Json.write(next), null);
        return store.putIfVersion(item, expectedVersion);
    }

    static ControlPlaneState parse(String json) {
        try {
            return Json.MAPPER.readValue(json, ControlPlaneState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("control-plane state in the store is not readable", e);
        }
    }
}
