package dev.ccaasfailover.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a mapping file comes from: {@code <failover.mappings.dir>/<file>}. The jar also carries a copy of each file
 * (the repository's examples, which hold the demo ids the simulators use); that copy stands in for a missing file only
 * where nothing real is configured, and then with a WARN naming it. With a platform or DNS configured a missing file
 * stops start-up naming the file and {@code failover.mappings.dir}: a site must never run on demo ids. Which copy was
 * loaded from where is logged at INFO.
 *
 * @param name where the text came from, for error messages ("mappings/presence.yaml", "classpath:mappings/...")
 */
public record MappingSource(String name, String text) {

    private static final Logger LOG = LoggerFactory.getLogger(MappingSource.class);
    static final String KEY = "failover.mappings.dir";

    /** The file, else the jar's copy with a WARN (for callers with no site configured, e.g. tests of one mapping). */
    public static MappingSource open(Path dir, String file) {
        return open(dir, file, true);
    }

    /** @param jarCopyAllowed false on a configured site: a file missing from {@code dir} is a start-up error */
    public static MappingSource open(Path dir, String file, boolean jarCopyAllowed) {
        Path onDisk = dir == null ? null : dir.resolve(file);
        if (onDisk != null && Files.isRegularFile(onDisk)) {
            try {
                MappingSource source = new MappingSource(onDisk.toString(), Files.readString(onDisk, StandardCharsets.UTF_8));
                LOG.info("Mappings: {} loaded from {}", file, onDisk.toAbsolutePath());
                return source;
            } catch (IOException e) {
                throw new InvalidConfigurationException(onDisk.toString(), "line 0: cannot read it (" + e.getMessage() + "); check its permissions");
            }
        }
        String where = onDisk == null ? file : onDisk.toAbsolutePath().toString();
        if (!jarCopyAllowed) {
            throw new InvalidConfigurationException(KEY, where + " is missing; put " + file + " in that folder (the"
                    + " repository's mappings/ has a commented example) or set " + KEY + " to the folder that holds it;"
                    + " the jar's copy holds demo ids and is never used for a configured platform");
        }
        String resource = "mappings/" + file;
        try (InputStream in = MappingSource.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new InvalidConfigurationException("classpath:" + resource, "line 0: missing from the jar and from "
                        + dir + "; rebuild the jar or put " + file + " in " + KEY);
            }
            LOG.warn("Mappings: {} is missing, so the jar's copy classpath:{} is used (demo ids, not a site's); put {} in"
                    + " {} or set {}", where, resource, file, dir, KEY);
            return new MappingSource("classpath:" + resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
