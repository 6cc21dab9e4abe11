package dev.ccaasfailover.fuzz;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Watches every log event of the service while the fuzz runs, for what the README (HTTP API and security) says a log never holds: a line a
 * client forged with CR/LF, a client value longer than 200 characters, a full phone number (any formatting), a token.
 */
final class LogWatch extends AppenderBase<ILoggingEvent> {

    /** The fuzz's own numbers (and the seed event's), digits with up to three separators between the groups. */
    static final Pattern PHONE = Pattern.compile("317[^0-9]{0,3}555[^0-9]{0,3}01(?:99|88)");

    final Map<String, String> firstExample = new ConcurrentHashMap<>();
    final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private final List<String> secrets;

    private LogWatch(List<String> secrets) {
        this.secrets = secrets;
    }

    static LogWatch attach(List<String> secrets) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        LogWatch w = new LogWatch(secrets);
        w.setContext(context);
        w.setName("fuzz-log-watch");
        w.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(w);
        return w;
    }

    void detach() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(this);
        stop();
    }

    @Override
    protected void append(ILoggingEvent event) {
        StringBuilder text = new StringBuilder(String.valueOf(event.getFormattedMessage()));
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            text.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
        }
        String s = text.toString();
        String where = event.getLoggerName() + " " + event.getLevel();
        if (s.contains("\n12:00:00.000 ERROR FORGED") || s.contains("\r12:00:00.000 ERROR FORGED")) {
            note("log: a client's CR/LF forged a log line", where, s);
        }
        if (longRun(s)) {
            note("log: a client value logged unclipped, over 200 characters", where, s);
        }
        java.util.regex.Matcher phone = PHONE.matcher(s);
        if (phone.find()) {
            note("log: a full phone number", where, around(s, phone.start()));
        }
        for (String secret : secrets) {
            if (s.contains(secret)) {
                note("log: a role token", where, around(s, s.indexOf(secret)));
            }
        }
    }

    /** The fuzz's filler (a character or "HUGE" repeated) for more than 200 characters: a value logged whole. */
    private static boolean longRun(String s) {
        if (s.contains("HUGE".repeat(60))) {
            return true;
        }
        int run = 1;
        for (int i = 1; i < s.length(); i++) {
            run = s.charAt(i) == s.charAt(i - 1) && Character.isLetter(s.charAt(i)) ? run + 1 : 1;
            if (run > 200) {
                return true;
            }
        }
        return false;
    }

    /** The text around a match, so the example shows where in a long message it was. */
    private static String around(String s, int at) {
        return (at > 150 ? "..." : "") + s.substring(Math.max(0, at - 150), Math.min(s.length(), at + 150));
    }

    private void note(String cls, String where, String text) {
        counts.merge(cls, 1, Integer::sum);
        firstExample.putIfAbsent(cls, where + ": " + HostileRequest.clip(text, 300));
    }
}
