package dev.ccaasfailover.context;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The only HTTP the SNS endpoint makes: fetching a signing certificate and visiting a SubscribeURL, both refused
 * unless the URL passes the host policy. In production that is HTTPS on an SNS host
 * ({@code sns.<region>.amazonaws.com[.cn]}); tests build one that allows their own loopback server, so the same
 * fetching and verification code runs in both.
 */
public class SnsCertificates {

    static final Pattern SNS_HOST = Pattern.compile("sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Predicate<URI> allowed;
    private final HttpClient http;
    private final Map<URI, X509Certificate> cache = new ConcurrentHashMap<>();

    public SnsCertificates(Predicate<URI> allowed) {
        this.allowed = allowed;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** HTTPS on an SNS host, default port. */
    public static SnsCertificates production() {
        return new SnsCertificates(SnsCertificates::isSnsUrl);
    }

    public static boolean isSnsUrl(URI uri) {
        return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null
                && SNS_HOST.matcher(uri.getHost().toLowerCase(Locale.ROOT)).matches()
                && (uri.getPort() == -1 || uri.getPort() == 443) && uri.getUserInfo() == null;
    }

    /** The certificate at an allowed URL, cached by URL. */
    public X509Certificate certificate(String url) throws GeneralSecurityException {
        URI uri = allowedUri(url, "SigningCertURL");
        X509Certificate cached = cache.get(uri);
        if (cached != null) {
            cached.checkValidity();
            return cached;
        }
        byte[] pem = get(uri, "SigningCertURL");
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem));
        cert.checkValidity();
        cache.put(uri, cert);
        return cert;
    }

    /** Visits a SubscribeURL (confirms the subscription). */
    public void confirm(String subscribeUrl) throws GeneralSecurityException {
        get(allowedUri(subscribeUrl, "SubscribeURL"), "SubscribeURL");
    }

    private URI allowedUri(String url, String field) throws GeneralSecurityException {
        URI uri;
        try {
            uri = URI.create(url == null ? "" : url);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException(field + " is not a URL");
        }
        if (uri.getHost() == null || !allowed.test(uri)) {
            throw new GeneralSecurityException(field + " is not on an SNS host: " + uri.getHost());
        }
        return uri;
    }

    private byte[] get(URI uri, String field) throws GeneralSecurityException {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() / 100 != 2) {
                throw new SnsUnreachableException(field + " " + uri.getHost() + " answered " + r.statusCode());
            }
            return r.body();
        } catch (IOException e) {
            throw new SnsUnreachableException(field + " " + uri.getHost() + " unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SnsUnreachableException("interrupted fetching " + field);
        }
    }

    /** SNS itself could not be reached: not the sender's fault, so the delivery is retried (503). */
    public static class SnsUnreachableException extends dev.ccaasfailover.http.DependencyUnavailableException {
        public SnsUnreachableException(String message) {
            super(message);
        }
    }
}
