package dev.ccaasfailover.agents;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Every page of a NICE CXone listing (docs/vendor-apis.md §5: {@code top}, {@code skip}; answers carry {@code totalRecords}
 * and {@code _links.next}). The next {@code skip} is the number of items received so far, so a server that caps
 * {@code top} below what was asked is still read whole.
 */
public final class NicePages {

    /** Asked for on every page; NICE may answer fewer (its own default and maximum are unconfirmed). */
    public static final int TOP = 100;

    private NicePages() {
    }

    /**
     * The items of {@code field} over all pages of {@code path} (which may carry its own query). Reading stops at an
     * empty page, or when NICE gives no {@code _links.next} and {@code totalRecords} (if given) is reached.
     */
    public static List<JsonNode> all(VendorHttp http, String path, String field) {
        List<JsonNode> items = new ArrayList<>();
        String sep = path.contains("?") ? "&" : "?";
        while (true) {
            JsonNode page = http.get(path + sep + "top=" + TOP + "&skip=" + items.size());
            JsonNode got = page.path(field);
            got.forEach(items::add);
            JsonNode next = page.path("_links").path("next");
            boolean linkSaysMore = next.isTextual() && !next.asText().isBlank();
            boolean totalSaysMore = page.path("totalRecords").isNumber() && items.size() < page.path("totalRecords").asLong();
            if (got.isEmpty() || !(linkSaysMore || totalSaysMore)) {
                return items;
            }
        }
    }
}
