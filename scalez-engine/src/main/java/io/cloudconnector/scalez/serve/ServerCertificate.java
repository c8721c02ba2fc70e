package io.cloudconnector.scalez.serve;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A ScaleZ server's TLS identity: an EC P-256 key pair made when the server starts, never written anywhere, and a
 * self-signed certificate for it. Clients do not trust it through a CA or a host name: the provisioner registers
 * the certificate's SHA-256 ({@link #sha256()}) with the server, and clients accept exactly that certificate
 * ({@link PinnedCertificate}). A restarted server has a new key, hence a new fingerprint and a new registration.
 */
public final class ServerCertificate {

    /** The TLS version servers and clients speak: both ends are ScaleZ, so only the current one. */
    static final String PROTOCOL = "TLSv1.3";

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Long enough never to matter: the pin, not the dates, decides trust, and a server lives hours or days. */
    private static final Duration VALIDITY = Duration.ofDays(3650);

    private final KeyPair keys;
    private final X509Certificate certificate;
    private final String sha256;

    private ServerCertificate(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
        this.sha256 = sha256(certificate);
    }

    /** A fresh key pair and a self-signed certificate for it ({@code CN=scalez-server}). */
    public static ServerCertificate generate() {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            var keys = generator.generateKeyPair();
            var name = new X500Name("CN=scalez-server");
            var now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(
                    name,
                    new BigInteger(127, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(VALIDITY)),
                    name,
                    keys.getPublic());
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
            var certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new ServerCertificate(keys, certificate);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot make the server's key and certificate: " + e.getMessage(), e);
        }
    }

    /** The certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The SHA-256 of the certificate's DER encoding, 64 lower-case hex digits: what clients pin. */
    public String sha256() {
        return sha256;
    }

    /** A TLS 1.3 server context presenting this certificate. */
    SSLContext serverContext() {
        try {
            var password = new char[0];
            var store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", keys.getPrivate(), password, new X509Certificate[] {certificate});
            var keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(store, password);
            var context = SSLContext.getInstance(PROTOCOL);
            context.init(keyManagers.getKeyManagers(), null, RANDOM);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("Cannot set up the server's TLS: " + e.getMessage(), e);
        }
    }

    /** The SHA-256 of a certificate's DER encoding in lower-case hex. */
    public static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot hash a certificate: " + e.getMessage(), e);
        }
    }

    /**
     * A fingerprint as given (hex, any case, optionally with {@code :} between bytes, optionally prefixed
     * {@code sha256:}) in the canonical form: 64 lower-case hex digits.
     *
     * @throws IllegalArgumentException when it is not a SHA-256
     */
    public static String normalize(String fingerprint) {
        var hex = fingerprint.strip().toLowerCase(Locale.ROOT);
        if (hex.startsWith("sha256:")) {
            hex = hex.substring("sha256:".length());
        }
        hex = hex.replace(":", "");
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(
                    "A certificate fingerprint is a SHA-256 in hex (64 digits), was '" + abbreviate(fingerprint) + "'");
        }
        return hex;
    }

    private static String abbreviate(String value) {
        return value.length() <= 100 ? value : value.substring(0, 100) + "…";
    }
}
