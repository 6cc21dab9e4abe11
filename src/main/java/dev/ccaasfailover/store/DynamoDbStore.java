package dev.ccaasfailover.store;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;

/**
 * The {@code dynamodb} store: one physical table per logical table, named {@code <prefix><table>}, keyed by
 * {@code pk} (hash) and {@code sk} (range), created on first use with on-demand billing and TTL on
 * {@code expiresAt}.
 *
 * <p>{@code expiresAt} is epoch seconds, the unit DynamoDB TTL reads; an expiry instant is rounded up to the next
 * whole second so an item never disappears before the time it was given. TTL deletes lazily (typically within
 * days), so every read also filters expired items itself.
 *
 * <p>The store owns the client and closes it on {@link #close()}.
 * <p>Size: the whole Store contract for DynamoDB, next to SqliteStore's for the embedded engine.
 */
public final class DynamoDbStore implements Store {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbStore.class);
    private static final Duration TABLE_ACTIVE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TABLE_POLL_INTERVAL = Duration.ofMillis(250);

    static final String PK = "pk";
    static final String SK = "sk";
    static final String VERSION = "version";
    static final String DATA = "data";
    static final String EXPIRES_AT = "expiresAt";
    /** The order key of an item written by a forward put; other writes replace the whole item, dropping it. */
    static final String ORDER = "ord";

    // Names go through placeholders: DATA is a DynamoDB reserved word, and the others may become one.
    private static final Map<String, String> NAMES = Map.of(
            "#pk", PK, "#v", VERSION, "#e", EXPIRES_AT, "#o", ORDER);
    private static final String ABSENT_OR_EXPIRED = "attribute_not_exists(#pk) OR #e < :now";
    private static final String LIVE = "(attribute_not_exists(#e) OR #e >= :now)";
    private static final String VERSION_MATCHES = "#v = :expected AND " + LIVE;
    private static final String MOVES_FORWARD =
            "attribute_not_exists(#pk) OR attribute_not_exists(#o) OR #o < :order OR #e < :now";

    private final DynamoDbClient client;
    private final String tablePrefix;
    private final Clock clock;
    private final Set<String> readyTables = ConcurrentHashMap.newKeySet();
    private final ExecutorService writers;
    private final WriteHealth health = new WriteHealth();

    /**
     * @param writeConcurrency calls of {@link #putGuarded} in flight at once, for all its callers together
     *                         ({@code failover.store.dynamodb.write-concurrency}): each event is its own transaction,
     *                         so an array of 500 events is 500 round trips, one after the other at 1
     */
    public DynamoDbStore(DynamoDbClient client, String tablePrefix, int writeConcurrency, Clock clock) {
        this.client = client;
        this.tablePrefix = tablePrefix == null ? "" : tablePrefix;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.writers = Executors.newFixedThreadPool(writeConcurrency, r -> {
            Thread t = new Thread(r, "dynamodb-write-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A store on a client with the default credential chain and the Apache HTTP client (named explicitly: the
     * classpath also carries the URL-connection client, and the SDK refuses to guess between them). Its connection
     * pool holds the concurrent writes of {@link #putGuarded} (the URL-connection client kept only 5 alive, so most of
     * them opened a new connection, and a TLS session, per call).
     */
    public static DynamoDbStore create(String region, String endpointOverrideOrNull, String tablePrefix,
                                       int writeConcurrency, Clock clock) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .region(Region.of(region))
                // The writes, plus reads and the runbook's calls alongside them.
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(writeConcurrency + 16)
                        .connectionTimeout(Duration.ofSeconds(1)))
                // DynamoDB's SDK default is 9 attempts with backoff up to 20 s: against a dead endpoint a context
                // read took over 10 s, long after the IVR gave up. Three attempts within 3 s, then a 503 with
                // Retry-After, which the caller can act on.
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.standardRetryStrategy())
                        .apiCallTimeout(Duration.ofSeconds(3)));
        if (endpointOverrideOrNull != null && !endpointOverrideOrNull.isBlank()) {
            builder.endpointOverride(URI.create(endpointOverrideOrNull));
        }
        DynamoDbStore store = new DynamoDbStore(builder.build(), tablePrefix, writeConcurrency, clock);
        LOG.info("Store: {}", store.describe());
        return store;
    }

    @Override
    public Optional<StoreItem> get(String table, String pk, String sk) {
        String physical = ensureTable(table);
        Map<String, AttributeValue> found = call(physical, "get", () -> client.getItem(r -> r
                .tableName(physical)
                .key(Map.of(PK, s(pk), SK, s(sk)))
                .consistentRead(true))).item();
        if (found == null || found.isEmpty()) {
            return Optional.empty();
        }
        StoreItem item = toItem(table, found);
        return isExpired(item) ? Optional.empty() : Optional.of(item);
    }

    @Override
    public boolean putIfAbsent(StoreItem item) {
        return conditionalPut(item, 1, ABSENT_OR_EXPIRED, Map.of(":now", n(nowSeconds())));
    }

    @Override
    public boolean putIfVersion(StoreItem item, long expectedVersion) {
        if (expectedVersion == 0) {
            return putIfAbsent(item);
        }
        return conditionalPut(item, expectedVersion + 1, VERSION_MATCHES,
                Map.of(":expected", n(expectedVersion), ":now", n(nowSeconds())));
    }

    private boolean conditionalPut(StoreItem item, long newVersion, String condition,
                                   Map<String, AttributeValue> values) {
        return conditionalPut(item.table(), toAttributes(item, newVersion), condition, values);
    }

    private boolean conditionalPut(String table, Map<String, AttributeValue> attributes, String condition,
                                   Map<String, AttributeValue> values) {
        String physical = ensureTable(table);
        PutItemRequest request = PutItemRequest.builder()
                .tableName(physical)
                .item(attributes)
                .conditionExpression(condition)
                .expressionAttributeNames(namesUsedIn(condition))
                .expressionAttributeValues(values)
                .build();
        return write(physical, "put", () -> {
            try {
                client.putItem(request);
                return true;
            } catch (ConditionalCheckFailedException lostTheRace) {
                return false;
            }
        });
    }

    /**
     * One TransactWriteItems per write: the guard's put carries the absent-or-expired condition, so a duplicate
     * cancels the whole transaction and nothing of it is written. The transactions of a list run
     * {@code writeConcurrency} at a time; a guard key the list repeats is written once, by its first write, and the
     * later ones are duplicates, as they would be one after the other. Then the forward puts of the written guards,
     * one conditional PutItem per key (the greatest order the list carries for it), also concurrently: a forward
     * put's condition may fail without anything being wrong, which inside the transaction would cancel the event's
     * own items. A duplicate whose guard holds the same data (the same write sent again; one GetItem tells) takes
     * part in those puts too, so a retry repairs a put a crash lost. If a call fails the list fails (503); what was
     * written is then a duplicate on the retry.
     */
    @Override
    public List<Boolean> putGuarded(List<GuardedWrite> writes) {
        Set<List<String>> guards = new HashSet<>();
        List<CompletableFuture<Guarded>> calls = new ArrayList<>(writes.size());
        for (GuardedWrite w : writes) {
            boolean first = guards.add(key(w.guard()));
            calls.add(first ? CompletableFuture.supplyAsync(() -> putGuarded(w), writers) : null);
        }
        List<Guarded> outcomes = new ArrayList<>(writes.size());
        for (CompletableFuture<Guarded> call : calls) {
            outcomes.add(call == null ? Guarded.DUPLICATE : join(call));
        }
        List<Boolean> written = outcomes.stream().map(o -> o == Guarded.WRITTEN).toList();
        Map<List<String>, ForwardPut> forward = new LinkedHashMap<>();
        for (int i = 0; i < writes.size(); i++) {
            if (outcomes.get(i) != Guarded.DUPLICATE) {
                for (ForwardPut f : writes.get(i).forward()) {
                    forward.merge(key(f.item()), f,
                            (a, b) -> a.order().compareTo(b.order()) >= 0 ? a : b);
                }
            }
        }
        List<CompletableFuture<Boolean>> forwardPuts = new ArrayList<>(forward.size());
        for (ForwardPut f : forward.values()) {
            Map<String, AttributeValue> item = toAttributes(f.item(), 1);
            item.put(ORDER, s(f.order()));
            forwardPuts.add(CompletableFuture.supplyAsync(() -> conditionalPut(f.item().table(), item, MOVES_FORWARD,
                    Map.of(":order", s(f.order()), ":now", n(nowSeconds()))), writers));
        }
        forwardPuts.forEach(DynamoDbStore::join);
        return written;
    }

    /** An item's whole key (table, pk, sk), for telling writes of the same key apart from others. */
    private static List<String> key(StoreItem item) {
        return List.of(item.table(), item.pk(), item.sk());
    }

    /** What one guarded write did: written, a duplicate, or this very write sent again (its forward puts apply). */
    private enum Guarded { WRITTEN, DUPLICATE, SAME_WRITE_AGAIN }

    /** The call's result, or its failure as thrown in this thread (a StoreUnavailableException for DynamoDB's). */
    private static <T> T join(CompletableFuture<T> call) {
        try {
            return call.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private Guarded putGuarded(GuardedWrite w) {
        String guardTable = ensureTable(w.guard().table());
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().put(Put.builder()
                .tableName(guardTable)
                .item(toAttributes(w.guard(), 1))
                .conditionExpression(ABSENT_OR_EXPIRED)
                .expressionAttributeNames(namesUsedIn(ABSENT_OR_EXPIRED))
                .expressionAttributeValues(Map.of(":now", n(nowSeconds())))
                .build()).build());
        for (StoreItem item : w.with()) {
            items.add(TransactWriteItem.builder().put(Put.builder()
                    .tableName(ensureTable(item.table()))
                    .item(toAttributes(item, 1))
                    .build()).build());
        }
        Guarded outcome = write(guardTable, "transactWriteItems", () -> {
            try {
                client.transactWriteItems(r -> r.transactItems(items));
                return Guarded.WRITTEN;
            } catch (TransactionCanceledException cancelled) {
                List<CancellationReason> reasons = cancelled.cancellationReasons();
                if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                    return Guarded.DUPLICATE;
                }
                throw cancelled;
            }
        });
        if (outcome == Guarded.DUPLICATE && !w.forward().isEmpty()) {
            Optional<StoreItem> held = get(w.guard().table(), w.guard().pk(), w.guard().sk());
            if (held.isPresent() && held.get().data().equals(w.guard().data())) {
                return Guarded.SAME_WRITE_AGAIN;
            }
        }
        return outcome;
    }

    @Override
    public List<StoreItem> query(String table, String pk, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        String physical = ensureTable(table);
        List<StoreItem> items = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        // Limit counts items read before the filter drops expired ones, so page until enough live items.
        do {
            QueryRequest.Builder request = QueryRequest.builder()
                    .tableName(physical)
                    .keyConditionExpression("#pk = :pk")
                    .filterExpression(LIVE)
                    .expressionAttributeNames(Map.of("#pk", PK, "#e", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":pk", s(pk), ":now", n(nowSeconds())))
                    .scanIndexForward(false)
                    .consistentRead(true)
                    .limit(limit - items.size());
            if (startKey != null) {
                request.exclusiveStartKey(startKey);
            }
            QueryResponse page = call(physical, "query", () -> client.query(request.build()));
            page.items().forEach(attributes -> items.add(toItem(table, attributes)));
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                    ? page.lastEvaluatedKey() : null;
        } while (items.size() < limit && startKey != null);
        return items;
    }

    /**
     * Always 0: DynamoDB TTL deletes expired items server-side, and a purge here would need a Scan of every
     * table. Reads already hide expired items, so nothing depends on the deletion time.
     */
    @Override
    public int purgeExpired(Instant now) {
        LOG.debug("purgeExpired: left to DynamoDB TTL on {}", EXPIRES_AT);
        return 0;
    }

    /**
     * Whether writes succeed: the latest write's outcome when it is fresh ({@link WriteHealth#FRESH}); else one
     * ListTables round trip (no write probe here: it would need a table of its own).
     */
    @Override
    public boolean isAvailable() {
        Boolean fresh = health.fresh();
        if (fresh != null) {
            return fresh;
        }
        try {
            client.listTables(r -> r.limit(1));
            return true;
        } catch (SdkException e) {
            LOG.warn("Store not available: {}: {}", describe(), e.getMessage());
            return false;
        }
    }

    @Override
    public String describe() {
        String region = String.valueOf(client.serviceClientConfiguration().region());
        String endpoint = client.serviceClientConfiguration().endpointOverride()
                .map(URI::toString).orElse("default");
        return "DynamoDB in " + region + " (endpoint " + endpoint + "), tables " + tablePrefix + "*";
    }

    @Override
    public void close() {
        writers.shutdownNow();
        client.close();
    }

    /** Creates the physical table on first use in this process; later calls are a set lookup. */
    private String ensureTable(String table) {
        String physical = tablePrefix + table;
        if (!readyTables.contains(physical)) {
            synchronized (readyTables) {
                if (!readyTables.contains(physical)) {
                    call(physical, "create table", () -> {
                        createIfAbsent(physical);
                        awaitActive(physical);
                        enableTtl(physical);
                        return null;
                    });
                    readyTables.add(physical);
                }
            }
        }
        return physical;
    }

    private void createIfAbsent(String physical) {
        try {
            client.describeTable(r -> r.tableName(physical));
            return;
        } catch (ResourceNotFoundException absent) {
            LOG.info("Creating DynamoDB table {}", physical);
        }
        try {
            client.createTable(r -> r
                    .tableName(physical)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build())
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build()));
        } catch (ResourceInUseException createdMeanwhile) {
            LOG.debug("Table {} created by another instance", physical);
        }
    }

    private void awaitActive(String physical) {
        // Real elapsed time, not the injected clock (a test may have frozen it).
        long deadline = System.nanoTime() + TABLE_ACTIVE_TIMEOUT.toNanos();
        while (client.describeTable(r -> r.tableName(physical)).table().tableStatus() != TableStatus.ACTIVE) {
            if (System.nanoTime() - deadline > 0) {
                throw SdkException.create("table " + physical + " not ACTIVE after " + TABLE_ACTIVE_TIMEOUT, null);
            }
            try {
                Thread.sleep(TABLE_POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SdkException.create("interrupted waiting for table " + physical, e);
            }
        }
    }

    /** Best effort: reads filter expired items anyway, so a store without TTL is still correct, only larger. */
    private void enableTtl(String physical) {
        try {
            TimeToLiveStatus status = client.describeTimeToLive(r -> r.tableName(physical))
                    .timeToLiveDescription().timeToLiveStatus();
            if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING) {
                return;
            }
            client.updateTimeToLive(r -> r.tableName(physical)
                    .timeToLiveSpecification(t -> t.attributeName(EXPIRES_AT).enabled(true)));
        } catch (SdkException e) {
            LOG.warn("Could not enable TTL on {} (expired items stay until deleted; reads hide them): {}",
                    physical, e.getMessage());
        }
    }

    private interface DynamoCall<T> {
        T run();
    }

    /** {@link #call} for a write: its outcome is what readiness reports. */
    private <T> T write(String physical, String operation, DynamoCall<T> dynamoCall) {
        try {
            T result = call(physical, operation, dynamoCall);
            health.succeeded();
            return result;
        } catch (StoreUnavailableException e) {
            health.failed(e.getMessage());
            throw e;
        }
    }

    private <T> T call(String physical, String operation, DynamoCall<T> dynamoCall) {
        try {
            return dynamoCall.run();
        } catch (SdkException e) {
            throw new StoreUnavailableException(
                    "DynamoDB table " + physical + " (" + describe() + "): " + operation + " failed: " + e.getMessage(),
                    e);
        }
    }

    private boolean isExpired(StoreItem item) {
        return item.expiresAt() != null && item.expiresAt().getEpochSecond() < nowSeconds();
    }

    /** Now rounded up, so "expiresAt < now" in whole seconds matches the exact instant comparison. */
    private long nowSeconds() {
        return secondsRoundedUp(clock.instant());
    }

    private static long secondsRoundedUp(Instant instant) {
        return instant.getNano() == 0 ? instant.getEpochSecond() : instant.getEpochSecond() + 1;
    }

    private static Map<String, AttributeValue> toAttributes(StoreItem item, long version) {
        Map<String, AttributeValue> attributes = new HashMap<>();
        attributes.put(PK, s(item.pk()));
        attributes.put(SK, s(item.sk()));
        attributes.put(VERSION, n(version));
        attributes.put(DATA, s(item.data()));
        if (item.expiresAt() != null) {
            attributes.put(EXPIRES_AT, n(secondsRoundedUp(item.expiresAt())));
        }
        return attributes;
    }

    private static StoreItem toItem(String table, Map<String, AttributeValue> attributes) {
        AttributeValue expires = attributes.get(EXPIRES_AT);
        Instant expiresAt = expires == null ? null : Instant.ofEpochSecond(Long.parseLong(expires.n()));
        return new StoreItem(table, attributes.get(PK).s(), attributes.get(SK).s(),
                Long.parseLong(attributes.get(VERSION).n()), attributes.get(DATA).s(), expiresAt);
    }

    private static Map<String, String> namesUsedIn(String expression) {
        Map<String, String> used = new HashMap<>();
        NAMES.forEach((placeholder, name) -> {
            if (expression.contains(placeholder)) {
                used.put(placeholder, name);
            }
        });
        return used;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }
}
