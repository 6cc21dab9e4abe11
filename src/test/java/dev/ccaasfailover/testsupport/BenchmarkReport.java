package dev.ccaasfailover.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * Writes one benchmark's section of BENCHMARKS.md, replacing that section's previous figures and leaving the other
 * benchmarks' sections alone. A section lies between {@code <!-- bench:NAME -->} and {@code <!-- /bench:NAME -->}, and
 * begins with the benchmark's own heading: a section that begins otherwise holds hand-written notes (a marker that
 * drifted above them), which a rewrite would delete, so the benchmark fails instead of writing.
 */
public final class BenchmarkReport {

    static final Path FILE = Path.of("BENCHMARKS.md");
    static final String HEADER = "# Benchmarks\n\nEach section is written by its benchmark (`mvn -B -Pbench verify` runs them all);"
            + " figures come from one run on the machine named in the section, with the baseline measured in the same run.\n";

    private BenchmarkReport() {
    }

    public static synchronized void write(String name, String markdown) {
        try {
            String doc = Files.exists(FILE) ? Files.readString(FILE) : HEADER;
            String open = "<!-- bench:" + name + " -->";
            String close = "<!-- /bench:" + name + " -->";
            String section = open + "\n" + markdown.strip() + "\n\n_Measured " + LocalDate.now() + " on "
                    + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version") + "._\n" + close;
            int a = doc.indexOf(open);
            int b = doc.indexOf(close);
            if (a >= 0 && b > a) {
                checkOwnHeading(name, doc.substring(a + open.length(), b), markdown);
                doc = doc.substring(0, a) + section + doc.substring(b + close.length());
            } else {
                doc = doc.stripTrailing() + "\n\n" + section + "\n";
            }
            Files.writeString(FILE, doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The old section must start with the new one's first line (its heading); anything above it is not ours to delete. */
    static void checkOwnHeading(String name, String oldSection, String markdown) {
        String heading = markdown.strip().lines().findFirst().orElse("");
        String oldFirst = oldSection.strip().lines().findFirst().orElse("");
        if (!heading.isEmpty() && !oldFirst.equals(heading)) {
            throw new IllegalStateException(FILE + ": the section <!-- bench:" + name + " --> begins with '" + oldFirst
                    + "', not with its heading '" + heading + "'; rewriting it would delete that text. Move the marker to"
                    + " just above '" + heading + "' (or rename the heading in both places), then run again.");
        }
    }
}
