package dev.ccaasfailover.context;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * Verifies an SNS message's signature with the JDK (docs/vendor-apis.md §8): the string to sign is alternating lines of
 * key and raw value in a fixed order; SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA; the certificate comes
 * only from the SNS host of the topic's region and must be SNS's ({@link SnsCertificates}).
 */
public class SnsMessageVerifier {

    static final List<String> NOTIFICATION_KEYS = List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type");
    static final List<String> CONFIRMATION_KEYS = List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token",
            "TopicArn", "Type");

    private final SnsCertificates certificates;

    public SnsMessageVerifier(SnsCertificates certificates) {
        this.certificates = certificates;
    }

    /** @throws GeneralSecurityException when the signature does not verify, for whatever reason */
    public void verify(JsonNode message) throws GeneralSecurityException {
        String algorithm = switch (text(message, "SignatureVersion")) {
            case "1" -> "SHA1withRSA";
            case "2" -> "SHA256withRSA";
            default -> throw new GeneralSecurityException("unsupported SignatureVersion");
        };
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(text(message, "Signature"));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("Signature is not Base64");
        }
        byte[] signed = stringToSign(message).getBytes(StandardCharsets.UTF_8);
        // Fetched last: only a message that is complete and well formed makes the endpoint fetch anything.
        X509Certificate certificate = certificates.certificate(text(message, "SigningCertURL"), text(message, "TopicArn"));
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate);
        verifier.update(signed);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException("signature does not match the message");
        }
    }

    public static String stringToSign(JsonNode message) throws GeneralSecurityException {
        String type = text(message, "Type");
        List<String> keys = "Notification".equals(type) ? NOTIFICATION_KEYS : CONFIRMATION_KEYS;
        StringBuilder b = new StringBuilder();
        for (String key : keys) {
            JsonNode v = message.get(key);
            if (v == null || v.isNull()) {
                if ("Subject".equals(key)) {
                    continue; // signed only when present
                }
                throw new GeneralSecurityException("missing " + key);
            }
            b.append(key).append('\n').append(v.asText()).append('\n');
        }
        return b.toString();
    }

    private static String text(JsonNode message, String key) throws GeneralSecurityException {
        JsonNode v = message.get(key);
        if (v == null || !v.isValueNode() || v.isNull()) {
            throw new GeneralSecurityException("missing " + key);
        }
        return v.asText();
    }
}
