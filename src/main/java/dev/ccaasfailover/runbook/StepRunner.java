package dev.ccaasfailover.runbook;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one step of a run against the journal ({@code process: {ref: stepRunner}}, body = the step's name): a step
 * the journal holds completed is not repeated (a resumed run); otherwise {@code direct:failover-step-<name>} is
 * attempted until it answers done or skipped, at most {@code failover.runbook.step-attempts} times with bounded
 * exponential backoff, the fence checked before each attempt and every attempt recorded. A failure that is not
 * retryable ({@link StepFailedException#retryable()}) ends the step at once; a fenced run stops without writing.
 * Sets the exchange property {@code stepOutcome} (done, skipped, failed or fenced).
 *
 * <p>A Processor rather than a bean method: it sends a copy of the run's exchange (its properties are the step's
 * input) to the step route for each attempt.
 */
public class StepRunner implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);
    public static final String P_STEP_OUTCOME = "stepOutcome";
    static final String FENCED = "fenced";

    /** One attempt of a step: its result, or an exception (a failed attempt). */
    @FunctionalInterface
    interface Attempt {
        StepResult run() throws Exception;
    }

    private final RunClaim claims;
    private final RunJournal journal;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Clock clock;
    private volatile ProducerTemplate template;

    public StepRunner(RunClaim claims, RunJournal journal, Backoff backoff, int maxAttempts, Clock clock) {
        this.claims = claims;
        this.journal = journal;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        RunClaim.Ticket ticket = new RunClaim.Ticket(exchange.getProperty(Runbook.P_RUN_ID, String.class),
                exchange.getProperty(Runbook.P_EPOCH, Long.class));
        String step = exchange.getMessage().getBody(String.class);
        String uri = "direct:failover-step-" + step;
        String outcome = run(ticket, step, () -> {
            Exchange attempt = exchange.copy();
            // the attempt's own unit of work clears the thread's MDC when it is done: give this run's lines theirs back
            Map<String, String> mdc = MDC.getCopyOfContextMap();
            try {
                template(exchange.getContext()).send(uri, attempt);
            } finally {
                if (mdc != null) {
                    MDC.setContextMap(mdc);
                }
            }
            if (attempt.getException() != null) {
                throw attempt.getException();
            }
            return attempt.getMessage().getMandatoryBody(StepResult.class);
        });
        exchange.setProperty(P_STEP_OUTCOME, outcome);
    }

    /** The step's outcome after its attempts: done, skipped, failed, or fenced (another instance owns the run). */
    String run(RunClaim.Ticket ticket, String step, Attempt attempt) {
        String runId = ticket.runId();
        try {
            claims.checkFence(runId, ticket.epoch());
        } catch (FencedOutException e) {
            LOG.warn("Step {} not started: {}; another instance owns the run now", step, e.getMessage());
            return FENCED;
        }
        Optional<Versioned<StepRecord>> existing = journal.step(runId, step);
        if (existing.isPresent() && existing.get().value().completed()) {
            LOG.info("Step {} already {} in the journal: not repeated", step, existing.get().value().outcome());
            return existing.get().value().outcome();
        }
        String startedAt = existing.map(e -> e.value().startedAt()).orElse(Times.iso(clock.instant()));
        int attempts = existing.map(e -> e.value().attempts()).orElse(0);
        journal.writeStep(runId, new StepRecord(step, StepRecord.RUNNING, startedAt, null,
                existing.isPresent() ? "resumed after an interruption" : null, attempts));
        LOG.info("Step {} starts", step);
        while (true) {
            Exception failure;
            try {
                claims.checkFence(runId, ticket.epoch());
                StepResult result = attempt.run();
                attempts++;
                journal.writeStep(runId, new StepRecord(step, result.outcome(), startedAt, Times.iso(clock.instant()), result.detail(), attempts));
                LOG.info("Step {} {}: {}", step, result.outcome(), result.detail());
                return result.outcome();
            } catch (Exception e) {
                failure = e;
            }
            FencedOutException fenced = find(failure, FencedOutException.class);
            if (fenced != null) {
                LOG.warn("Step {} stopped: {}; another instance owns the run now", step, fenced.getMessage());
                return FENCED;
            }
            attempts++;
            StepFailedException stepFailed = find(failure, StepFailedException.class);
            boolean retryable = stepFailed == null || stepFailed.retryable();
            String message = describe(stepFailed != null ? stepFailed : failure);
            if (!retryable || attempts >= maxAttempts) {
                String detail = (retryable ? "failed after " + attempts + " attempts: " : "not retried: ") + message;
                journal.writeStep(runId, new StepRecord(step, StepRecord.FAILED, startedAt, Times.iso(clock.instant()), detail, attempts));
                LOG.error("Step {} failed: {}", step, detail);
                return StepRecord.FAILED;
            }
            long delay = backoff.delayAfter(attempts);
            journal.writeStep(runId, new StepRecord(step, StepRecord.RUNNING, startedAt, null,
                    "attempt " + attempts + "/" + maxAttempts + " failed: " + message + "; retrying in " + delay + " ms", attempts));
            LOG.warn("Step {} attempt {}/{} failed: {}; retrying in {} ms", step, attempts, maxAttempts, message, delay);
            pause(delay, step);
        }
    }

    /** The backoff wait; a stop (interrupt) leaves the step running in the journal, for the next start to resume. */
    private static void pause(long delayMs, String step) {
        try {
            Thread.sleep(delayMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("step " + step + " interrupted while waiting to retry; it stays running and is resumed at the next start", e);
        }
    }

    private ProducerTemplate template(CamelContext context) {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    template = context.createProducerTemplate();
                }
                t = template;
            }
        }
        return t;
    }

    static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root && !(root instanceof StepFailedException)) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return (root instanceof StepFailedException ? "" : root.getClass().getSimpleName() + ": ") + (msg == null ? "" : msg);
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
