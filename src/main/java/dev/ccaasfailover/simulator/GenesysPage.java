package dev.ccaasfailover.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.function.Function;

/**
 * Genesys' paged listing ({@code UserEntityListing}, {@code QueueMemberEntityListing}, ...): pageSize and
 * pageNumber in, {@code entities/pageSize/pageNumber/total/pageCount/firstUri/selfUri/previousUri/nextUri/lastUri}
 * out. {@code previousUri} and {@code nextUri} are left out where there is no such page. Queue members are answered
 * {@link #listingWithoutCounts without} total, pageCount and lastUri, as Genesys now does.
 */
record GenesysPage(int pageSize, int pageNumber) {

    static GenesysPage from(SimRequest request, int defaultSize, int maxSize) {
        int size = request.intParam("pageSize", defaultSize, "bad.request");
        int number = request.intParam("pageNumber", 1, "bad.request");
        if (size < 1 || size > maxSize) {
            throw new SimHttpException(400, "bad.request",
                    "The page size must be between 1 and " + maxSize + ", was " + size);
        }
        if (number < 1) {
            throw new SimHttpException(400, "bad.request", "The page number must be at least 1, was " + number);
        }
        return new GenesysPage(size, number);
    }

    /**
     * @param basePath   e.g. {@code /api/v2/users}
     * @param extraQuery query parameters to repeat in every URI (e.g. {@code &expand=presence}), or ""
     */
    <T> ObjectNode listing(List<T> all, Function<T, JsonNode> render, String basePath, String extraQuery) {
        return listing(all, render, basePath, extraQuery, true);
    }

    <T> ObjectNode listingWithoutCounts(List<T> all, Function<T, JsonNode> render, String basePath, String extraQuery) {
        return listing(all, render, basePath, extraQuery, false);
    }

    private <T> ObjectNode listing(List<T> all, Function<T, JsonNode> render, String basePath, String extraQuery,
                                   boolean counts) {
        int total = all.size();
        int pageCount = (total + pageSize - 1) / pageSize;
        int from = Math.min((pageNumber - 1) * pageSize, total);
        int to = Math.min(from + pageSize, total);
        ObjectNode listing = Json.object();
        ArrayNode entities = listing.putArray("entities");
        all.subList(from, to).forEach(item -> entities.add(render.apply(item)));
        listing.put("pageSize", pageSize).put("pageNumber", pageNumber);
        if (counts) {
            listing.put("total", total).put("pageCount", pageCount);
        }
        listing.put("firstUri", uri(basePath, 1, extraQuery))
                .put("selfUri", uri(basePath, pageNumber, extraQuery));
        if (pageNumber > 1) {
            listing.put("previousUri", uri(basePath, Math.min(pageNumber - 1, Math.max(pageCount, 1)), extraQuery));
        }
        if (pageNumber < pageCount) {
            listing.put("nextUri", uri(basePath, pageNumber + 1, extraQuery));
        }
        if (counts) {
            listing.put("lastUri", uri(basePath, Math.max(pageCount, 1), extraQuery));
        }
        return listing;
    }

    private String uri(String basePath, int number, String extraQuery) {
        return basePath + "?pageSize=" + pageSize + "&pageNumber=" + number + extraQuery;
    }
}
