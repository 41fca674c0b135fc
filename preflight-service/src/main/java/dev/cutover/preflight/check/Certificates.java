package dev.cutover.preflight.check;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** A domain's certificate chain judged for real: parsed, dates, hostname, chain signatures. */
final class Certificates {

    /** What is wrong (blocking), or only worth a warning, or nothing. */
    record Verdict(List<String> problems, List<String> warnings, Instant notAfter) {
    }

    private Certificates() {
    }

    static Verdict judge(String hostname, String pem, Instant now, Duration margin) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<X509Certificate> chain;
        try {
            Collection<? extends java.security.cert.Certificate> parsed = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            chain = parsed.stream().map(X509Certificate.class::cast).toList();
        } catch (GeneralSecurityException | RuntimeException e) {
            return new Verdict(List.of("certificate for " + hostname + " can't be read: " + e.getMessage()), List.of(), null);
        }
        if (chain.isEmpty()) {
            return new Verdict(List.of("certificate for " + hostname + " holds no certificate"), List.of(), null);
        }
        X509Certificate leaf = chain.get(0);
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (now.isAfter(notAfter)) {
            problems.add("certificate for " + hostname + " expired on " + day(notAfter));
        } else if (now.plus(margin).isAfter(notAfter)) {
            long days = Duration.between(now, notAfter).toDays();
            problems.add("certificate for " + hostname + " expires in " + days + " day" + (days == 1 ? "" : "s") + " (on "
                    + day(notAfter) + "), within the migration window of " + margin.toDays() + " days: renew it first");
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            problems.add("certificate for " + hostname + " is not valid before " + day(leaf.getNotBefore().toInstant()));
        }
        if (!matches(leaf, hostname)) {
            problems.add("certificate for " + hostname + " does not name it (it is for " + names(leaf) + ")");
        }
        for (int i = 0; i + 1 < chain.size(); i++) {
            if (!signs(chain.get(i + 1), chain.get(i))) {
                problems.add("certificate chain for " + hostname + " is broken: certificate " + (i + 2) + " did not sign certificate " + (i + 1));
            }
        }
        X509Certificate last = chain.get(chain.size() - 1);
        if (last.getSubjectX500Principal().equals(last.getIssuerX500Principal()) && signs(last, last) && chain.size() == 1) {
            warnings.add("certificate for " + hostname + " is self-signed: browsers won't trust it");
        }
        return new Verdict(problems, warnings, notAfter);
    }

    private static boolean signs(X509Certificate issuer, X509Certificate subject) {
        try {
            subject.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean matches(X509Certificate leaf, String hostname) {
        String host = hostname.toLowerCase(Locale.ROOT);
        for (String name : dnsNames(leaf)) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals(host) || (n.startsWith("*.") && host.endsWith(n.substring(1)) && host.indexOf('.') == host.length() - n.length() + 1)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> dnsNames(X509Certificate leaf) {
        List<String> names = new ArrayList<>();
        try {
            if (leaf.getSubjectAlternativeNames() != null) {
                for (List<?> san : leaf.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no usable SAN: fall back to the common name
        }
        if (names.isEmpty()) {
            String dn = leaf.getSubjectX500Principal().getName();
            for (String part : dn.split(",")) {
                if (part.trim().startsWith("CN=")) {
                    names.add(part.trim().substring(3));
                }
            }
        }
        return names;
    }

    private static String names(X509Certificate leaf) {
        List<String> names = dnsNames(leaf);
        return names.isEmpty() ? "no hostname" : String.join(", ", names);
    }

    private static LocalDate day(Instant instant) {
        return instant.atZone(ZoneOffset.UTC).toLocalDate();
    }
}
