package dev.ccaasfailover.drill;

import java.io.PrintStream;

/** The drill's readable output: one line per event, stamped with the time since the drill began. */
final class Timeline {

    private final PrintStream out;
    private final long startNanos = System.nanoTime();

    Timeline(PrintStream out) {
        this.out = out;
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    synchronized void line(String what, Object... args) {
        out.printf("T+%07.3fs  %s%n", seconds(), args.length == 0 ? what : String.format(what, args));
        out.flush();
    }

    synchronized void section(String title) {
        out.println();
        out.println("== " + title);
        out.flush();
    }

    synchronized void plain(String text) {
        out.println(text);
        out.flush();
    }
}
