package dev.ccaasfailover.config;

import java.net.URI;
import java.util.List;

/**
 * Where one platform lives and how to authenticate to it. Empty optional parts mean "not configured":
 * the product starts, says so, and reports that platform's layers as Unknown rather than guessing.
 *
 * @param sipUri the trunk's SIP URI as configured (validated; parsed by the prober)
 */
public record PlatformSettings(
        Platform platform,
        URI baseUrl,
        URI tokenUrl,
        String clientId,
        String clientSecret,
        String accessKeyId,
        String accessKeySecret,
        URI apiHealthUrl,
        String sipUri,
        List<String> trunkBaseSettingsIds) {

    public boolean apiConfigured() {
        return apiHealthUrl != null && tokenUrl != null;
    }

    public boolean sipConfigured() {
        return sipUri != null;
    }

    @Override
    public String toString() {
        // Never print secrets.
        return "PlatformSettings[" + platform + ", baseUrl=" + baseUrl + ", apiHealthUrl=" + apiHealthUrl
                + ", sipUri=" + sipUri + "]";
    }
}
