package dev.ccaasfailover.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Test helper: plain java.net.http calls against a simulator. */
final class SimulatorHttp {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient client;
    private final String baseUrl;

    SimulatorHttp(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(5));
    }

    SimulatorHttp(String baseUrl, Duration connectTimeout) {
        this.baseUrl = baseUrl;
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10));
    }

    HttpResponse<String> get(String path, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return send(request);
    }

    java.util.concurrent.CompletableFuture<HttpResponse<String>> sendAsync(String path, String bearer) {
        return client.sendAsync(request(path).header("Authorization", "Bearer " + bearer).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> sendJson(String method, String path, String bearer, String json) throws IOException, InterruptedException {
        return send(request(path).header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> postForm(String path, String basicUser, String basicPassword, String... pairs)
            throws IOException, InterruptedException {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (form.length() > 0) {
                form.append('&');
            }
            form.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        HttpRequest.Builder request = request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
        if (basicUser != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((basicUser + ":" + basicPassword).getBytes(StandardCharsets.UTF_8)));
        }
        return send(request);
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return MAPPER.readTree(response.body());
    }

    /** A Genesys client-credentials token. */
    static String genesysToken(GenesysSimulator sim) throws Exception {
        HttpResponse<String> response = new SimulatorHttp(sim.baseUrl())
                .postForm("/oauth/token", sim.clientId(), sim.clientSecret(), "grant_type", "client_credentials");
        return json(response).path("access_token").asText();
    }
}
