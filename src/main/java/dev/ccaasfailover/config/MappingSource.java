package dev.ccaasfailover.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a mapping file comes from: {@code <failover.mappings.dir>/<file>} when that file exists, else the jar's
 * {@code mappings/<file>}. File by file, so an operator copies and edits only the mappings they change.
 *
 * @param name where the text came from, for error messages ("mappings/presence.yaml", "classpath:mappings/...")
 */
public record MappingSource(String name, String text) {

    public static MappingSource open(Path dir, String file) {
        Path onDisk = dir == null ? null : dir.resolve(file);
        if (onDisk != null && Files.isRegularFile(onDisk)) {
            try {
                return new MappingSource(onDisk.toString(), Files.readString(onDisk, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new InvalidConfigurationException(onDisk.toString(), "line 0: cannot read it (" + e.getMessage() + "); check its permissions");
            }
        }
        String resource = "mappings/" + file;
        try (InputStream in = MappingSource.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new InvalidConfigurationException("classpath:" + resource, "line 0: missing from the jar and from "
                        + dir + "; rebuild the jar or put " + file + " in failover.mappings.dir");
            }
            return new MappingSource("classpath:" + resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
