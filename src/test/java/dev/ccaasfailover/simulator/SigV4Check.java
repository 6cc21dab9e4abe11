package dev.ccaasfailover.simulator;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks an AWS Signature Version 4 {@code Authorization} header the way an AWS JSON service does, for simulators:
 * the header's shape, the credential scope (date, region, service), the access key, and the signature itself,
 * recomputed from the request (canonical request, string to sign, derived key) with the secret the simulator knows.
 * Answers with the errors AWS JSON services give (HTTP 403, {@code __type} as below).
 */
final class SigV4Check {

    private static final Pattern HEADER = Pattern.compile(
            "AWS4-HMAC-SHA256\\s+Credential=([^,\\s]+),\\s*SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-f]{64})");

    private final String service;
    private final Map<String, String> secrets;

    /** @param secrets secret access key of each access key id the simulator accepts */
    SigV4Check(String service, Map<String, String> secrets) {
        this.service = service;
        this.secrets = new java.util.concurrent.ConcurrentHashMap<>(secrets);
    }

    /** Accepts one more key (e.g. the one the SDK's default credential chain finds in a test JVM). */
    void accept(String accessKeyId, String secretAccessKey) {
        secrets.put(accessKeyId, secretAccessKey);
    }

    /** Returns the access key id; throws the AWS error otherwise. */
    String verify(SimRequest request, String region) {
        String auth = request.header("Authorization");
        if (auth == null) {
            throw new SimHttpException(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        Matcher m = HEADER.matcher(auth.trim());
        if (!m.matches()) {
            throw new SimHttpException(403, "IncompleteSignatureException", "Authorization header requires 'Credential',"
                    + " 'Signature' and 'SignedHeaders' parameters. Authorization=" + auth);
        }
        String[] scope = m.group(1).split("/");
        if (scope.length != 5 || !scope[4].equals("aws4_request")) {
            throw new SimHttpException(403, "IncompleteSignatureException", "Credential should have 5 parts: " + m.group(1));
        }
        String amzDate = request.header("X-Amz-Date");
        if (amzDate == null || amzDate.length() < 8) {
            throw new SimHttpException(403, "IncompleteSignatureException", "Authorization header requires existence of either"
                    + " a 'X-Amz-Date' or a 'Date' header. Authorization=" + auth);
        }
        if (!scope[1].equals(amzDate.substring(0, 8))) {
            throw new SimHttpException(403, "InvalidSignatureException", "Date in Credential scope does not match YYYYMMDD"
                    + " from ISO-8601 version of date from HTTP: '" + scope[1] + "' != '" + amzDate.substring(0, 8) + "'");
        }
        if (!scope[2].equals(region)) {
            throw new SimHttpException(403, "InvalidSignatureException",
                    "Credential should be scoped to a valid region, not '" + scope[2] + "'. ");
        }
        if (!scope[3].equals(service)) {
            throw new SimHttpException(403, "InvalidSignatureException",
                    "Credential should be scoped to correct service: '" + service + "'. ");
        }
        String secret = secrets.get(scope[0]);
        if (secret == null) {
            throw new SimHttpException(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        String signedHeaders = m.group(2);
        String canonical = canonicalRequest(request, signedHeaders);
        String credentialScope = scope[1] + "/" + scope[2] + "/" + scope[3] + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + credentialScope + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), scope[1]);
        key = hmac(key, scope[2]);
        key = hmac(key, scope[3]);
        key = hmac(key, "aws4_request");
        String expected = hex(hmac(key, toSign));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), m.group(3).getBytes(StandardCharsets.US_ASCII))) {
            throw new SimHttpException(403, "InvalidSignatureException", "The request signature we calculated does not match the"
                    + " signature you provided. Check your AWS Secret Access Key and signing method. Consult the service"
                    + " documentation for details.");
        }
        return scope[0];
    }

    private static String canonicalRequest(SimRequest request, String signedHeaders) {
        StringBuilder headers = new StringBuilder();
        for (String name : signedHeaders.split(";")) {
            List<String> values = request.headers().get(name);
            List<String> trimmed = new ArrayList<>();
            if (values != null) {
                values.forEach(v -> trimmed.add(v.trim().replaceAll("\\s+", " ")));
            }
            headers.append(name.toLowerCase(Locale.ROOT)).append(':').append(String.join(",", trimmed)).append('\n');
        }
        String path = request.rawPath().isEmpty() ? "/" : request.rawPath();
        return request.method() + "\n" + path + "\n" + canonicalQuery(request.rawQuery()) + "\n" + headers + "\n"
                + signedHeaders + "\n" + hex(sha256(request.body().getBytes(StandardCharsets.UTF_8)));
    }

    /** The query as sent, its parameters sorted (this API takes none; kept for completeness). */
    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String> pairs = new ArrayList<>(List.of(rawQuery.split("&")));
        pairs.replaceAll(p -> p.contains("=") ? p : p + "=");
        pairs.sort(null);
        return String.join("&", pairs);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
