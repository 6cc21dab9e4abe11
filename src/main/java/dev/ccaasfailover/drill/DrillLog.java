package dev.ccaasfailover.drill;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/** Sends the middleware's own log to a file during the drill, so the console shows the timeline alone. */
final class DrillLog {

    /**
     * As logback.xml's: logback's %X has a default ({@code %X{key:-default}}) but no "when set" form, so the replace
     * drops " run=" on lines outside a run.
     */
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20}%replace( run=%X{runId}){' run=$', ''} - %msg%n";

    private DrillLog() {
    }

    static void redirectTo(Path file) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
    }
}
