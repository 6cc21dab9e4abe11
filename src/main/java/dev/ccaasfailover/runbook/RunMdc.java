package dev.ccaasfailover.runbook;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.engine.DefaultUnitOfWork;
import org.apache.camel.impl.engine.MDCUnitOfWork;
import org.apache.camel.spi.UnitOfWork;
import org.apache.camel.spi.UnitOfWorkFactory;
import org.slf4j.MDC;

/**
 * Camel's MDC logging ({@code camel.main.useMdcLogging=true}) with one key more: {@code runId}, from the exchange
 * property a run's routes set once ({@code seda:runbook-execute}). Camel puts its {@code camel.*} keys before every
 * processor and restores the thread's previous values when the exchange is done; the run id follows the same life,
 * across the split's threads and the step runner's nested exchanges, so every line a run logs carries ` run=<id>`
 * (logback.xml) without a bean touching the MDC.
 */
public final class RunMdc implements UnitOfWorkFactory {

    public static final String KEY = Runbook.P_RUN_ID;

    @Override
    public UnitOfWork createUnitOfWork(Exchange exchange) {
        CamelContext c = exchange.getContext();
        return Boolean.TRUE.equals(c.isUseMDCLogging()) ? new RunUnitOfWork(exchange)
                : new DefaultUnitOfWork(exchange, c.getInflightRepository(), Boolean.TRUE.equals(c.isAllowUseOriginalMessage()),
                        Boolean.TRUE.equals(c.isUseBreadcrumb()));
    }

    static final class RunUnitOfWork extends MDCUnitOfWork {

        private final String originalRunId;

        RunUnitOfWork(Exchange exchange) {
            this(exchange, exchange.getContext(), MDC.get(KEY));
        }

        private RunUnitOfWork(Exchange exchange, CamelContext context, String originalRunId) {
            super(exchange, context.getInflightRepository(), context.getMDCLoggingKeysPattern(),
                    Boolean.TRUE.equals(context.isAllowUseOriginalMessage()), Boolean.TRUE.equals(context.isUseBreadcrumb()));
            this.originalRunId = originalRunId;
        }

        @Override
        protected void prepareMDC(Exchange exchange) {
            super.prepareMDC(exchange);
            // set or removed before every processor: a pooled thread's value left by another exchange never shows
            String runId = exchange.getProperty(KEY, String.class);
            if (runId != null) {
                MDC.put(KEY, runId);
            } else {
                MDC.remove(KEY);
            }
        }

        @Override
        public UnitOfWork newInstance(Exchange exchange) {
            return new RunUnitOfWork(exchange);
        }

        /** Restores what the thread had when this exchange began (a nested exchange gives its caller's run id back). */
        @Override
        public void clear() {
            super.clear();
            if (originalRunId != null) {
                MDC.put(KEY, originalRunId);
            } else {
                MDC.remove(KEY);
            }
        }
    }
}
