package dev.ccaasfailover.context;

import dev.ccaasfailover.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which signing certificates the SNS endpoint trusts, against a test CA: the URL is checked before any fetch (the
 * fetcher counts), the certificate after it (name, validity, chain), and outcomes are cached by host and path.
 */
class SnsCertificatesTest {

    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:ccaas-events";
    static final String CERT_URL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef0123456789abcdef.pem";

    final TestPki pki = TestPki.get();
    final MutableClock clock = new MutableClock(pki.now);
    final Map<String, SnsCertificates.Fetched> served = new HashMap<>();
    final List<URI> fetched = new CopyOnWriteArrayList<>();
    final SnsCertificates certificates = new SnsCertificates(uri -> {
        fetched.add(uri);
        SnsCertificates.Fetched f = served.get(uri.toString());
        if (f == null) {
            throw new IOException("connection refused");
        }
        return f;
    }, pki.anchors(), clock);

    void serve(String url, X509Certificate cert) throws Exception {
        served.put(url, new SnsCertificates.Fetched(200, TestPki.pem(cert).getBytes(StandardCharsets.US_ASCII)));
    }

    void serveIntermediate() throws Exception {
        served.put(TestPki.INTERMEDIATE_URL.toString(), new SnsCertificates.Fetched(200, pki.intermediate.getEncoded()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://sns.s3.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem",
            "https://sns.s3-ap-southeast-2.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem",
            "https://sns.s3-accelerate.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem",
            "https://sns.s3.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem",
            "https://sns.us-west-2.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem", // not the topic's region
            "https://sns.us-east-1.amazonaws.com.cn/SimpleNotificationService-0123456789abcdef.pem",
            "https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService-0123456789abcdef.pem",
            "https://evil.example/sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem",
            "http://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem",
            "https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-0123456789abcdef.pem",
            "https://x@sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem",
            "https://sns.us-east-1.amazonaws.com/cert.pem",
            "https://sns.us-east-1.amazonaws.com/bucket/SimpleNotificationService-0123456789abcdef.pem",
            "https://sns.us-east-1.amazonaws.com/x/../SimpleNotificationService-0123456789abcdef.pem",
            "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem?x=1",
            "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem#x",
            "https://SNS.US-EAST-1.AMAZONAWS.COM/SimpleNotificationService-0123456789abcdef.pem",
            "not a url", ""})
    void urlsOffTheTopicsSnsHostOrPathAreRefusedWithoutAFetch(String url) {
        assertThatThrownBy(() -> certificates.certificate(url, TOPIC)).isInstanceOf(GeneralSecurityException.class);
        assertThat(fetched).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"arn:aws:sns:s3:123456789012:t", "arn:aws:sns:s3-accelerate:123456789012:t", "arn:aws:s3:::sns",
            "arn:aws-cn:sns:us-east-1:123456789012:t", "arn:aws:sns:cn-north-1:123456789012:t", "arn:aws:sns:us-east-1:1234:t", ""})
    void aTopicArnWithoutAnSnsRegionIsRefusedWithoutAFetch(String topic) {
        assertThatThrownBy(() -> certificates.certificate(CERT_URL, topic)).isInstanceOf(GeneralSecurityException.class);
        assertThat(fetched).isEmpty();
    }

    @Test
    void snsCertificateWithAValidChainIsAcceptedAndItsIssuerFetchedOnce() throws Exception {
        serve(CERT_URL, pki.sns);
        serveIntermediate();
        assertThat(certificates.certificate(CERT_URL, TOPIC)).isEqualTo(pki.sns);
        assertThat(certificates.certificate(CERT_URL, TOPIC)).isEqualTo(pki.sns);
        assertThat(fetched).containsExactly(URI.create(CERT_URL), TestPki.INTERMEDIATE_URL);
    }

    @Test
    void aPemThatCarriesItsIntermediateNeedsNoFurtherFetch() throws Exception {
        served.put(CERT_URL, new SnsCertificates.Fetched(200,
                TestPki.pem(pki.sns, pki.intermediate).getBytes(StandardCharsets.US_ASCII)));
        assertThat(certificates.certificate(CERT_URL, TOPIC)).isEqualTo(pki.sns);
        assertThat(fetched).containsExactly(URI.create(CERT_URL));
    }

    @Test
    void aSelfSignedCertificateForSnsIsRefused() throws Exception {
        serve(CERT_URL, pki.selfSigned);
        assertThatThrownBy(() -> certificates.certificate(CERT_URL, TOPIC)).isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("does not chain");
    }

    @Test
    void aValidChainForAnotherNameIsRefused() throws Exception {
        serve(CERT_URL, pki.otherName);
        serveIntermediate();
        assertThatThrownBy(() -> certificates.certificate(CERT_URL, TOPIC)).isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("not issued for sns.amazonaws.com");
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        serve(CERT_URL, pki.expired);
        serveIntermediate();
        assertThatThrownBy(() -> certificates.certificate(CERT_URL, TOPIC)).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void aCachedCertificateThatExpiresIsNoLongerTrusted() throws Exception {
        serve(CERT_URL, pki.sns);
        serveIntermediate();
        certificates.certificate(CERT_URL, TOPIC);
        clock.set(pki.sns.getNotAfter().toInstant().plusSeconds(1));
        assertThatThrownBy(() -> certificates.certificate(CERT_URL, TOPIC)).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void aRegionsSigningNameIsWhatItsCertificateMustBeIssuedFor() throws Exception {
        assertThat(SnsCertificates.signingName("us-east-1")).isEqualTo("sns.amazonaws.com");
        assertThat(SnsCertificates.signingName("af-south-1")).isEqualTo("sns-signing.af-south-1.amazonaws.com");
        assertThat(SnsCertificates.signingName("cn-north-1")).isEqualTo("sns-cn-north-1.amazonaws.com.cn");
        assertThat(SnsCertificates.snsHost("cn-north-1")).isEqualTo("sns.cn-north-1.amazonaws.com.cn");
        String africa = "https://sns.af-south-1.amazonaws.com/SimpleNotificationService-abc.pem";
        serve(africa, pki.sns);
        serveIntermediate();
        assertThatThrownBy(() -> certificates.certificate(africa, "arn:aws:sns:af-south-1:123456789012:t"))
                .hasMessageContaining("not issued for sns-signing.af-south-1.amazonaws.com");
    }

    @Test
    void aRefusedCertificateIsRememberedAndFetchedAgainOnlyAfterItsTtl() throws Exception {
        serve(CERT_URL, pki.selfSigned);
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> certificates.certificate(CERT_URL, TOPIC)).isInstanceOf(GeneralSecurityException.class);
        }
        assertThat(fetched).hasSize(1);
        clock.advance(SnsCertificates.REFUSED_TTL.plusSeconds(1));
        serve(CERT_URL, pki.sns);
        serveIntermediate();
        assertThat(certificates.certificate(CERT_URL, TOPIC)).isEqualTo(pki.sns);
    }

    @Test
    void anUnreachableSnsIs503AndRememberedBriefly() {
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> certificates.certificate(CERT_URL, TOPIC))
                    .isInstanceOf(SnsCertificates.SnsUnreachableException.class);
        }
        assertThat(fetched).hasSize(1);
        clock.advance(SnsCertificates.UNREACHABLE_TTL.plusSeconds(1));
        assertThatThrownBy(() -> certificates.certificate(CERT_URL, TOPIC))
                .isInstanceOf(SnsCertificates.SnsUnreachableException.class);
        assertThat(fetched).hasSize(2);
    }

    @Test
    void aNotFoundIsARefusalAndA5xxIsUnreachable() {
        served.put(CERT_URL, new SnsCertificates.Fetched(404, new byte[0]));
        assertThatThrownBy(() -> certificates.certificate(CERT_URL, TOPIC)).isInstanceOf(GeneralSecurityException.class);
        String other = CERT_URL.replace("0123", "9999");
        served.put(other, new SnsCertificates.Fetched(503, new byte[0]));
        assertThatThrownBy(() -> certificates.certificate(other, TOPIC)).isInstanceOf(SnsCertificates.SnsUnreachableException.class);
    }

    @Test
    void theCacheIsBoundedAndKeyedByHostAndPath() throws Exception {
        for (int i = 0; i < SnsCertificates.CACHE_SIZE * 3; i++) {
            String url = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-" + i + ".pem";
            served.put(url, new SnsCertificates.Fetched(404, new byte[0]));
            assertThatThrownBy(() -> certificates.certificate(url, TOPIC)).isInstanceOf(GeneralSecurityException.class);
        }
        assertThat(certificates.cacheSize()).isEqualTo(SnsCertificates.CACHE_SIZE);
        assertThat(fetched).hasSize(SnsCertificates.CACHE_SIZE * 3);
    }

    @Test
    void aSubscribeUrlIsVisitedOnlyOnTheTopicsSnsHost() throws Exception {
        String good = "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + TOPIC + "&Token=t";
        served.put(good, new SnsCertificates.Fetched(200, new byte[0]));
        certificates.confirm(good, TOPIC);
        assertThat(fetched).containsExactly(URI.create(good));
        for (String bad : List.of("https://sns.s3.amazonaws.com/?Action=ConfirmSubscription", "http://sns.us-east-1.amazonaws.com/?x",
                "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription", "https://127.0.0.1/confirm")) {
            assertThatThrownBy(() -> certificates.confirm(bad, TOPIC)).isInstanceOf(GeneralSecurityException.class);
        }
        assertThat(fetched).hasSize(1);
    }

    @Test
    void productionTrustsTheJdksRoots() {
        assertThat(SnsCertificates.defaultTrustAnchors()).isNotEmpty()
                .anyMatch(a -> a.getTrustedCert().getSubjectX500Principal().getName().contains("Amazon Root CA 1"));
    }

    @Test
    void theIssuerUrlIsReadFromTheCertificate() {
        assertThat(SnsCertificates.caIssuers(pki.sns)).isEqualTo(TestPki.INTERMEDIATE_URL);
        assertThat(SnsCertificates.caIssuers(pki.root)).isNull();
    }
}
