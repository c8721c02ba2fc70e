package io.cloudconnector.scalez.serve;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How a client trusts a ScaleZ server: exactly one certificate, the one whose SHA-256 was registered with the
 * server. Any other certificate fails the TLS handshake, before the client sends a byte of its request (so
 * neither the bearer token nor any data reaches whoever answers at the endpoint).
 *
 * <p>There is no CA and no host-name check, on purpose: the server's certificate is self-signed and names no host
 * (an ECS task or instance learns its address only once it runs), and an exact pin is stronger than both: only the
 * holder of that server's private key, which never leaves the server's memory, can complete the handshake. The
 * trust manager is an {@link X509ExtendedTrustManager} so that the JDK does not add its own endpoint
 * identification on top.
 */
public final class PinnedCertificate {

    private PinnedCertificate() {}

    /**
     * A TLS 1.3 client context that trusts only the certificate whose SHA-256 is {@code fingerprint} (see
     * {@link ServerCertificate#normalize} for the accepted forms).
     */
    public static SSLContext sslContext(String fingerprint) {
        try {
            var context = SSLContext.getInstance(ServerCertificate.PROTOCOL);
            context.init(
                    null, new TrustManager[] {new Pin(ServerCertificate.normalize(fingerprint))}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Accepts a server whose leaf certificate hashes to the pin; clients are never accepted. */
    static class Pin extends X509ExtendedTrustManager {

        private final byte[] expected;

        Pin(String fingerprint) {
            this.expected = HexFormat.of().parseHex(fingerprint);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("The server presented no certificate");
            }
            byte[] actual;
            try {
                actual = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new CertificateException("SHA-256 is missing from this JDK", e);
            }
            if (!MessageDigest.isEqual(actual, expected)) {
                throw new CertificateException("The server's certificate (SHA-256 "
                        + HexFormat.of().formatHex(actual) + ") is not the one registered for it ("
                        + HexFormat.of().formatHex(expected) + ")");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("A ScaleZ client accepts no connections");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
