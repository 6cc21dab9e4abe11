package dev.ccaasfailover.runbook;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.health.HealthBoard;
import dev.ccaasfailover.health.Layer;
import dev.ccaasfailover.health.LayerState;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.store.Store;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Builds the body of GET /status: control-plane state from the store, health from the board. */
public class StatusReport {

    private final FailoverConfig config;
    private final Store store;
    private final HealthBoard board;
    private final Supplier<Map<String, Object>> dnsPropagation;
    private final Supplier<Map<String, Object>> loginWatch;

    /**
     * @param dnsPropagation the split-brain watch's latest picture, or null before any cutover
     * @param loginWatch     the NICE login watch's fields (agentsPendingLogin, agentsApplied, watchUntil,
     *                       agentsLoginWatch), or null before the first watch
     */
    public StatusReport(FailoverConfig config, Store store, HealthBoard board, Supplier<Map<String, Object>> dnsPropagation,
                        Supplier<Map<String, Object>> loginWatch) {
        this.config = config;
        this.store = store;
        this.board = board;
        this.dnsPropagation = dnsPropagation;
        this.loginWatch = loginWatch;
    }

    public ControlPlaneState controlPlaneState() {
        return store.get(ControlPlaneState.TABLE, ControlPlaneState.KEY, ControlPlaneState.SORT_KEY)
                .map(item -> {
                    try {
                        return Json.MAPPER.readValue(item.data(), ControlPlaneState.class);
                    } catch (java.io.IOException e) {
                        throw new UncheckedIOException("control-plane state in the store is not readable", e);
                    }
                })
                .orElse(new ControlPlaneState(ControlPlaneState.Phase.NORMAL, config.primary().id()));
    }

    public Map<String, Object> status() {
        ControlPlaneState cp = controlPlaneState();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", cp.state().name());
        body.put("activePlatform", cp.activePlatform());
        body.put("primary", config.primary().id());
        body.put("secondary", config.secondary().id());
        if (cp.runOwner() != null) {
            body.put("runOwner", cp.runOwner()); // the instance owning (or that last owned) the run
        }
        if (cp.leaseUntil() != null) {
            body.put("runLeaseUntil", cp.leaseUntil()); // set while a run is live; a peer takes it over once past
        }
        Map<String, Object> platforms = new LinkedHashMap<>();
        for (Platform p : Platform.values()) {
            Map<String, Object> layers = new LinkedHashMap<>();
            for (Layer layer : Layer.values()) {
                layers.put(layer.id(), layerView(board.layer(p, layer)));
            }
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("status", board.platformStatus(p).name());
            view.put("layers", layers);
            platforms.put(p.id(), view);
        }
        body.put("platforms", platforms);
        body.put("lastRun", lastRun());
        Map<String, Object> propagation = dnsPropagation.get();
        if (propagation != null) {
            body.put("dnsPropagation", propagation);
        }
        Map<String, Object> watch = loginWatch.get();
        if (watch != null) {
            body.putAll(watch);
        }
        return body;
    }

    /** The newest run's summary, or null before the first run. */
    Map<String, Object> lastRun() {
        return new RunJournal(store).recent(1).stream().findFirst().map(r -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("runId", r.runId());
            v.put("kind", r.kind());
            v.put("trigger", r.trigger());
            v.put("outcome", r.outcome());
            v.put("startedAt", r.startedAt());
            v.put("finishedAt", r.finishedAt());
            if (r.failedStep() != null) {
                v.put("failedStep", r.failedStep());
                v.put("detail", r.detail());
            }
            return v;
        }).orElse(null);
    }

    private static Map<String, Object> layerView(LayerState s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("status", s.status().name());
        if (s.rttMs() != null) {
            v.put("rttMs", s.rttMs());
        }
        if (s.rttEwmaMs() != null) {
            v.put("rttEwmaMs", Math.round(s.rttEwmaMs() * 10) / 10.0);
        }
        v.put("reason", s.reason());
        v.put("since", s.since().toString());
        return v;
    }
}
