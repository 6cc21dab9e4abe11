package dev.ccaasfailover.context;

import org.apache.camel.util.function.Suppliers;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The only HTTP the SNS endpoint makes: fetching a signing certificate (and, when its PEM lacks it, the issuing CA
 * named in the certificate) and visiting a SubscribeURL (docs/vendor-apis.md §8).
 *
 * <p>A URL is checked before anything is fetched: HTTPS, default port, on exactly the SNS host of the region in the
 * message's TopicArn ({@code sns.<region>.amazonaws.com}, {@code .com.cn} in China); a certificate's path is
 * {@code /SimpleNotificationService-<hash>.pem}. A pattern like {@code sns.*.amazonaws.com} would also take S3
 * hosts ({@code sns.s3.amazonaws.com}), where anyone can own a bucket named {@code sns}. The certificate must then be
 * valid now, issued for SNS's signing name in that region ({@code sns.amazonaws.com} in most), and chain to a trust
 * anchor: the JDK's default trust store in production (Amazon's roots are in it), a test CA in tests.
 *
 * <p>Outcomes are cached by host and path, at most {@link #CACHE_SIZE} of them, failures too (a refused certificate
 * for {@link #REFUSED_TTL}, an unreachable SNS for {@link #UNREACHABLE_TTL}), so a flood of messages naming one URL
 * makes one fetch.
 * <p>Size: the SNS signing-certificate rules (URL, subject, chain, bounded cache of successes and failures) kept
 * together, as each of them closes an attack the others do not.
 */
public class SnsCertificates {

    /** Fetches a URL that passed the checks: HTTPS to AWS in production, a loopback server in tests. */
    @FunctionalInterface
    public interface Fetcher {
        Fetched get(URI uri) throws IOException, InterruptedException;
    }

    /** A fetched URL's status and (size-limited) body. */
    public record Fetched(int status, byte[] body) {
    }

    static final int CACHE_SIZE = 32;
    static final Duration CERTIFICATE_TTL = Duration.ofHours(24);
    static final Duration REFUSED_TTL = Duration.ofMinutes(10);
    static final Duration UNREACHABLE_TTL = Duration.ofSeconds(5);
    static final int MAX_BODY = 64 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static final Pattern TOPIC_ARN = Pattern.compile("arn:(aws|aws-cn|aws-us-gov):sns:([a-z]{2}(?:-[a-z]+)+-\\d{1,2}):\\d{12}:[A-Za-z0-9_.-]{1,256}");
    private static final Pattern CERTIFICATE_PATH = Pattern.compile("/SimpleNotificationService-[0-9A-Za-z]{1,128}\\.pem");
    private static final String AIA = "1.3.6.1.5.5.7.1.1";
    /** Regions whose signing certificate is {@code sns-signing.<region>.amazonaws.com} (AWS SDK v2 SnsHostProvider). */
    private static final Set<String> SNS_SIGNING_REGIONS = Set.of("ap-east-1", "ap-east-2", "ap-south-2", "ap-southeast-3",
            "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "me-south-1", "me-central-1",
            "eu-south-1", "eu-south-2", "eu-central-2", "af-south-1", "il-central-1", "ca-west-1", "mx-central-1");

    private final Fetcher fetcher;
    private final Supplier<Set<TrustAnchor>> anchors;
    private final Clock clock;
    /** host + path → outcome; access order, so the least recently used goes first. Guarded by itself. */
    private final Map<String, Cached> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    public SnsCertificates(Fetcher fetcher, Set<TrustAnchor> anchors, Clock clock) {
        this(fetcher, Suppliers.constant(Set.copyOf(anchors)), clock);
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("SNS certificates: no trust anchors");
        }
    }

    private SnsCertificates(Fetcher fetcher, Supplier<Set<TrustAnchor>> anchors, Clock clock) {
        this.fetcher = fetcher;
        this.anchors = anchors;
        this.clock = clock;
    }

    /**
     * HTTPS with the JDK's client (no redirects), anchored in the JDK's default trust store. Both are made on the first
     * SNS message: the trust store and the TLS stack cost a start some 0.1 s, and most sites never send SNS.
     */
    public static SnsCertificates production(Clock clock) {
        Supplier<HttpClient> http = Suppliers.memorize(
                () -> HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build());
        Fetcher https = uri -> {
            HttpResponse<InputStream> r = http.get().send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                return new Fetched(r.statusCode(), in.readNBytes(MAX_BODY + 1));
            }
        };
        return new SnsCertificates(https, Suppliers.memorize(SnsCertificates::defaultTrustAnchors), clock);
    }

    static Set<TrustAnchor> defaultTrustAnchors() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            Set<TrustAnchor> anchors = new HashSet<>();
            for (var tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    for (X509Certificate ca : x.getAcceptedIssuers()) {
                        anchors.add(new TrustAnchor(ca, null));
                    }
                }
            }
            return anchors;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's default trust store cannot be read: " + e.getMessage(), e);
        }
    }

    /** The region of an SNS topic ARN ({@code arn:aws:sns:us-east-1:123456789012:name}). */
    static String region(String topicArn) throws GeneralSecurityException {
        Matcher m = TOPIC_ARN.matcher(topicArn == null ? "" : topicArn);
        if (!m.matches() || m.group(1).equals("aws-cn") != m.group(2).startsWith("cn-")
                || m.group(1).equals("aws-us-gov") != m.group(2).startsWith("us-gov-")) {
            throw new GeneralSecurityException("TopicArn is not an SNS topic ARN");
        }
        return m.group(2);
    }

    /** The one host SNS serves a region's certificates and SubscribeURLs from. */
    static String snsHost(String region) {
        return "sns." + region + (region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com");
    }

    /** The name a region's signing certificate is issued for (AWS SDK v2's SnsHostProvider). */
    static String signingName(String region) {
        if (region.startsWith("cn-")) {
            return "sns-" + region + ".amazonaws.com.cn";
        }
        if (region.startsWith("us-gov-")) {
            return "sns-us-gov-west-1.amazonaws.com";
        }
        return SNS_SIGNING_REGIONS.contains(region) ? "sns-signing." + region + ".amazonaws.com" : "sns.amazonaws.com";
    }

    /**
     * The signing certificate at {@code url} for a message of {@code topicArn}: the URL is checked before any fetch,
     * the certificate after it (validity, name, chain).
     *
     * @throws GeneralSecurityException the URL or the certificate is refused (403)
     * @throws SnsUnreachableException  SNS could not be reached (503: SNS retries)
     */
    public X509Certificate certificate(String url, String topicArn) throws GeneralSecurityException {
        String region = region(topicArn);
        URI uri = onSnsHost(url, "SigningCertURL", region);
        if (!CERTIFICATE_PATH.matcher(uri.getRawPath()).matches() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new GeneralSecurityException("SigningCertURL is not a /SimpleNotificationService-<hash>.pem path");
        }
        String key = uri.getHost().toLowerCase(Locale.ROOT) + uri.getRawPath();
        Instant now = clock.instant();
        Cached known = cached(key, now);
        if (known == null) {
            known = load(uri, region, now);
            synchronized (cache) {
                cache.put(key, known);
            }
        }
        return known.certificateOrThrow(now);
    }

    private Cached load(URI uri, String region, Instant now) {
        try {
            Fetched f = fetcher.get(uri);
            if (f.status() / 100 == 5) {
                return Cached.unreachable("SigningCertURL answered " + f.status(), now);
            }
            if (f.status() / 100 != 2) {
                return Cached.refused("SigningCertURL answered " + f.status(), now);
            }
            List<X509Certificate> pem = parse(f.body());
            X509Certificate leaf = pem.get(0);
            leaf.checkValidity(Date.from(now));
            checkName(leaf, signingName(region));
            boolean[] usage = leaf.getKeyUsage();
            if (usage != null && !usage[0]) {
                throw new GeneralSecurityException("the certificate is not for digital signatures");
            }
            checkChain(leaf, pem, now);
            return new Cached(leaf, null, false, now.plus(CERTIFICATE_TTL));
        } catch (IOException e) {
            return Cached.unreachable("SigningCertURL unreachable: " + e.getMessage(), now);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Cached.unreachable("interrupted fetching SigningCertURL", now);
        } catch (GeneralSecurityException e) {
            return Cached.refused(e.getMessage(), now);
        }
    }

    /** Visits a SubscribeURL (confirms the subscription) on the SNS host of the topic's region; never cached. */
    public void confirm(String subscribeUrl, String topicArn) throws GeneralSecurityException {
        URI uri = onSnsHost(subscribeUrl, "SubscribeURL", region(topicArn));
        try {
            Fetched f = fetcher.get(uri);
            if (f.status() / 100 != 2) {
                throw new SnsUnreachableException("SubscribeURL answered " + f.status());
            }
        } catch (IOException e) {
            throw new SnsUnreachableException("SubscribeURL unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SnsUnreachableException("interrupted visiting SubscribeURL");
        }
    }

    private static URI onSnsHost(String url, String field, String region) throws GeneralSecurityException {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url);
        } catch (java.net.URISyntaxException e) {
            throw new GeneralSecurityException(field + " is not a URL");
        }
        if (!"https".equals(uri.getScheme()) || uri.getRawUserInfo() != null || (uri.getPort() != -1 && uri.getPort() != 443)
                || !snsHost(region).equals(uri.getHost()) || uri.getRawPath() == null || uri.getRawPath().contains("..")) {
            throw new GeneralSecurityException(field + " is not HTTPS on " + snsHost(region));
        }
        return uri;
    }

    private static List<X509Certificate> parse(byte[] body) throws GeneralSecurityException {
        if (body == null || body.length == 0 || body.length > MAX_BODY) {
            throw new GeneralSecurityException("SigningCertURL: no certificate, or more than " + MAX_BODY + " bytes");
        }
        Collection<? extends Certificate> certs;
        try {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(body));
        } catch (CertificateException e) {
            throw new GeneralSecurityException("SigningCertURL: not a certificate");
        }
        List<X509Certificate> x509 = new ArrayList<>();
        for (Certificate c : certs) {
            if (c instanceof X509Certificate x) {
                x509.add(x);
            }
        }
        if (x509.isEmpty()) {
            throw new GeneralSecurityException("SigningCertURL: not a certificate");
        }
        return x509;
    }

    /** The subject alternative DNS names when there are any, else the subject's CN, must be exactly the name. */
    static void checkName(X509Certificate cert, String expected) throws GeneralSecurityException {
        List<String> names = new ArrayList<>();
        Collection<List<?>> alt = cert.getSubjectAlternativeNames();
        if (alt != null) {
            for (List<?> entry : alt) {
                if (Integer.valueOf(2).equals(entry.get(0))) {
                    names.add(String.valueOf(entry.get(1)));
                }
            }
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                    if ("CN".equalsIgnoreCase(rdn.getType())) {
                        names.add(String.valueOf(rdn.getValue()));
                    }
                }
            } catch (InvalidNameException e) {
                throw new GeneralSecurityException("the certificate's subject cannot be read");
            }
        }
        if (names.stream().noneMatch(expected::equalsIgnoreCase)) {
            throw new GeneralSecurityException("the certificate is not issued for " + expected);
        }
    }

    /**
     * PKIX from the leaf to a trust anchor, with the PEM's other certificates as intermediates; when the issuer is
     * not among them (Amazon's PEM holds the leaf alone), the CA certificate the leaf names (Authority Information
     * Access) is fetched once and cached. No revocation check: SNS rotates the certificate URL instead.
     */
    private void checkChain(X509Certificate leaf, List<X509Certificate> pem, Instant now)
            throws GeneralSecurityException, IOException, InterruptedException {
        List<X509Certificate> pool = new ArrayList<>(pem);
        if (pool.stream().noneMatch(c -> c != leaf && c.getSubjectX500Principal().equals(leaf.getIssuerX500Principal()))
                && anchors.get().stream().noneMatch(a -> a.getTrustedCert().getSubjectX500Principal().equals(leaf.getIssuerX500Principal()))) {
            URI issuer = caIssuers(leaf);
            if (issuer != null) {
                pool.addAll(issuerCertificates(issuer, now));
            }
        }
        X509CertSelector target = new X509CertSelector();
        target.setCertificate(leaf);
        PKIXBuilderParameters params = new PKIXBuilderParameters(anchors.get(), target);
        params.setRevocationEnabled(false);
        params.setDate(Date.from(now));
        params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
        try {
            CertPathBuilder.getInstance("PKIX").build(params);
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException("the certificate does not chain to a trusted CA");
        }
    }

    private List<X509Certificate> issuerCertificates(URI issuer, Instant now)
            throws GeneralSecurityException, IOException, InterruptedException {
        String key = issuer.getHost().toLowerCase(Locale.ROOT) + issuer.getRawPath();
        Cached known = cached(key, now);
        if (known != null) {
            return List.of(known.certificateOrThrow(now));
        }
        Fetched f = fetcher.get(issuer);
        if (f.status() / 100 != 2) {
            throw new IOException("the issuer's certificate URL answered " + f.status());
        }
        List<X509Certificate> certs = parse(f.body()); // DER or PEM; only PKIX below makes it trusted
        synchronized (cache) {
            cache.put(key, new Cached(certs.get(0), null, false, now.plus(CERTIFICATE_TTL)));
        }
        return certs;
    }

    /**
     * The caIssuers URL of the Authority Information Access extension. It comes from a certificate that SNS's own
     * host served over TLS, and what it returns is trusted only through the chain, so any http(s) URL is fetched.
     */
    static URI caIssuers(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(AIA);
        if (ext == null) {
            return null;
        }
        // OCTET STRING { SEQUENCE OF SEQUENCE { OID accessMethod, [6] IA5String uri } }: the caIssuers URI is the
        // [6] that follows the OID 1.3.6.1.5.5.7.48.2 (06 08 2B 06 01 05 05 07 30 02).
        byte[] caIssuersOid = {0x06, 0x08, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02};
        for (int i = 0; i + caIssuersOid.length + 2 <= ext.length; i++) {
            if (java.util.Arrays.equals(ext, i, i + caIssuersOid.length, caIssuersOid, 0, caIssuersOid.length)) {
                int at = i + caIssuersOid.length;
                if ((ext[at] & 0xFF) != 0x86 || (ext[at + 1] & 0x80) != 0) {
                    return null;
                }
                int length = ext[at + 1];
                if (at + 2 + length > ext.length) {
                    return null;
                }
                try {
                    URI uri = new URI(new String(ext, at + 2, length, java.nio.charset.StandardCharsets.US_ASCII));
                    return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                            && uri.getRawUserInfo() == null ? uri : null;
                } catch (java.net.URISyntaxException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private Cached cached(String key, Instant now) {
        synchronized (cache) {
            Cached c = cache.get(key);
            if (c != null && now.isAfter(c.until())) {
                cache.remove(key);
                return null;
            }
            return c;
        }
    }

    int cacheSize() {
        synchronized (cache) {
            return cache.size();
        }
    }

    /** A certificate, or why there is none (refused, or SNS unreachable), until an instant. */
    private record Cached(X509Certificate certificate, String failure, boolean unreachable, Instant until) {

        static Cached refused(String why, Instant now) {
            return new Cached(null, why, false, now.plus(REFUSED_TTL));
        }

        static Cached unreachable(String why, Instant now) {
            return new Cached(null, why, true, now.plus(UNREACHABLE_TTL));
        }

        X509Certificate certificateOrThrow(Instant now) throws GeneralSecurityException {
            if (unreachable) {
                throw new SnsUnreachableException(failure);
            }
            if (certificate == null) {
                throw new GeneralSecurityException(failure);
            }
            certificate.checkValidity(Date.from(now)); // it may have expired while cached
            return certificate;
        }
    }

    /** SNS itself could not be reached: not the sender's fault, so the delivery is retried (503). */
    public static class SnsUnreachableException extends dev.ccaasfailover.http.DependencyUnavailableException {
        public SnsUnreachableException(String message) {
            super(message);
        }
    }
}
