package dev.ccaasfailover.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One record of the store: addressed by table, partition key and sort key, carrying a JSON document.
 *
 * @param table     logical table (events, calls, dedupe, control, runs, ...); adapters map it to a physical name
 * @param pk        partition key (a caller's E.164 number, a call id, "control-plane", ...)
 * @param sk        sort key; queries return items newest first, i.e. in descending sort-key order,
 *                  so callers use sortable keys (ISO-8601 timestamps, zero-padded counters)
 * @param version   optimistic-concurrency version; 1 after the first write, +1 on every conditional update
 * @param data      the JSON document
 * @param expiresAt when retention removes the item; null keeps it for ever
 */
public record StoreItem(String table, String pk, String sk, long version, String data, Instant expiresAt) {

    public StoreItem {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(pk, "pk");
        Objects.requireNonNull(sk, "sk");
        Objects.requireNonNull(data, "data");
    }

    public static StoreItem of(String table, String pk, String sk, String data, Instant expiresAt) {
        return new StoreItem(table, pk, sk, 0, data, expiresAt);
    }

    public StoreItem withData(String newData) {
        return new StoreItem(table, pk, sk, version, newData, expiresAt);
    }
}
