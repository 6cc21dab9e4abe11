package dev.ccaasfailover.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.store.Store;
import dev.ccaasfailover.store.StoreItem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run journal in the store. Table {@code runs}: pk = run id, sk {@code run} for the header and
 * {@code step#<name>} per step. Table {@code run-index}: pk {@code runs}, sk {@code <startedAt>#<runId>}, so the
 * newest runs come first from one partition query. Every write is conditional on the version read.
 */
public class RunJournal {

    public static final String RUNS = "runs";
    public static final String INDEX = "run-index";
    static final String INDEX_PK = "runs";
    static final String HEADER = "run";
    static final String STEP_PREFIX = "step#";
    private static final int MAX_STEPS = 50;

    private final Store store;

    public RunJournal(Store store) {
        this.store = store;
    }

    /** Writes a new run's header and its index entry. */
    public void create(RunRecord run) {
        if (!store.putIfAbsent(StoreItem.of(RUNS, run.runId(), HEADER, Json.write(run), null))) {
            throw new IllegalStateException("run " + run.runId() + " already exists");
        }
        store.putIfAbsent(StoreItem.of(INDEX, INDEX_PK, run.startedAt() + "#" + run.runId(),
                Json.write(Map.of("runId", run.runId())), null));
    }

    public Optional<Versioned<RunRecord>> run(String runId) {
        return store.get(RUNS, runId, HEADER).map(i -> new Versioned<>(read(i.data(), RunRecord.class), i.version()));
    }

    public boolean update(RunRecord run, long expectedVersion) {
        return store.putIfVersion(StoreItem.of(RUNS, run.runId(), HEADER, Json.write(run), null), expectedVersion);
    }

    public Optional<Versioned<StepRecord>> step(String runId, String name) {
        return store.get(RUNS, runId, STEP_PREFIX + name).map(i -> new Versioned<>(read(i.data(), StepRecord.class), i.version()));
    }

    /** Writes the step conditionally on the version last read; false = someone else wrote it meanwhile. */
    public boolean putStep(String runId, StepRecord step, long expectedVersion) {
        return store.putIfVersion(StoreItem.of(RUNS, runId, STEP_PREFIX + step.name(), Json.write(step), null), expectedVersion);
    }

    /** The run's steps in the order they started. */
    public List<StepRecord> steps(String runId) {
        List<StepRecord> steps = new ArrayList<>();
        for (StoreItem i : store.query(RUNS, runId, MAX_STEPS + 1)) {
            if (i.sk().startsWith(STEP_PREFIX)) {
                steps.add(read(i.data(), StepRecord.class));
            }
        }
        steps.sort(Comparator.comparing(StepRecord::startedAt, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(StepRecord::name));
        return steps;
    }

    /**
     * Writes the step over whatever version is stored now. Only the run's owner writes its steps, so a lost
     * conditional write means a concurrent read-modify of the same item: re-read and write again, a few times.
     */
    public void writeStep(String runId, StepRecord step) {
        for (int i = 0; i < 3; i++) {
            long version = step(runId, step.name()).map(Versioned::version).orElse(0L);
            if (putStep(runId, step, version)) {
                return;
            }
        }
        throw new IllegalStateException("step " + step.name() + " of run " + runId + " keeps changing under this writer");
    }

    /** The outcome of the run the control plane names: null when none, running when its header was lost mid-run. */
    public String outcomeOf(ControlPlaneState cp) {
        if (cp.runId() == null) {
            return null;
        }
        return run(cp.runId()).map(r -> r.value().outcome()).orElse(cp.inTransition() ? RunRecord.RUNNING : null);
    }

    /** Where the run's steps leave it (see {@link RunOutcome}). */
    public RunOutcome outcome(String runId) {
        return RunOutcome.of(steps(runId));
    }

    /** Writes the finished header; only the run's owner writes it after the claim, so one re-read is enough. */
    public void finish(String runId, RunOutcome o, String finishedAt) {
        Versioned<RunRecord> run = run(runId).orElseThrow();
        RunRecord finished = run.value().finished(o.outcome(), finishedAt, o.failedStep(), o.detail());
        if (!update(finished, run.version())) {
            update(finished, run(runId).orElseThrow().version());
        }
    }

    /** Up to {@code limit} run headers, newest first. */
    public List<RunRecord> recent(int limit) {
        List<RunRecord> runs = new ArrayList<>();
        for (StoreItem i : store.query(INDEX, INDEX_PK, limit)) {
            String runId = read(i.data(), JsonNode.class).path("runId").asText();
            run(runId).ifPresent(v -> runs.add(v.value()));
        }
        return runs;
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("journal item is not readable as " + type.getSimpleName(), e);
        }
    }
}
