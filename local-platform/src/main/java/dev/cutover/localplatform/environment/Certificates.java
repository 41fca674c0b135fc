package dev.cutover.localplatform.environment;

import dev.cutover.platform.PlatformException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/** Reads PEM certificate chains, refusing anything that isn't one. */
final class Certificates {
    private Certificates() {
    }

    static List<X509Certificate> parse(String hostname, String pem) {
        if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new PlatformException(422, "certificate for " + hostname + " is not a PEM certificate");
        }
        try {
            Collection<? extends java.security.cert.Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (chain.isEmpty()) {
                throw new PlatformException(422, "certificate for " + hostname + " holds no certificate");
            }
            return chain.stream().map(X509Certificate.class::cast).toList();
        } catch (CertificateException e) {
            throw new PlatformException(422, "certificate for " + hostname + " is not a valid X.509 certificate: " + e.getMessage());
        }
    }
}
