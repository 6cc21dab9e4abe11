package dev.ccaasfailover.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * Writes one benchmark's section of BENCHMARKS.md, replacing that section's previous figures and leaving the other
 * benchmarks' sections alone. A section lies between {@code <!-- bench:NAME -->} and {@code <!-- /bench:NAME -->}.
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
            doc = a >= 0 && b > a ? doc.substring(0, a) + section + doc.substring(b + close.length())
                    : doc.stripTrailing() + "\n\n" + section + "\n";
            Files.writeString(FILE, doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
