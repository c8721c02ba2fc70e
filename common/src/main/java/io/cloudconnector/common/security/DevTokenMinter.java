package io.cloudconnector.common.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.UUID;

/**
 * Mints tenant-style tokens signed by a local key: {@code ./connector token} and tests use it. In
 * production the tenant's control plane signs tokens and the connector only holds its public key.
 */
public final class DevTokenMinter {

    /** The {@code iss} of development tokens; the local stack trusts it ({@code connector.security.issuer}). */
    public static final String ISSUER = "cloud-connector-dev";

    private final PrivateKey key;
    private final JWSAlgorithm algorithm;
    private final JWSSigner signer;

    public DevTokenMinter(PrivateKey key) {
        this.key = key;
        try {
            if (key instanceof java.security.interfaces.ECPrivateKey ec) {
                this.algorithm = JWSAlgorithm.ES256;
                this.signer = new ECDSASigner(ec);
            } else if (key instanceof java.security.interfaces.RSAPrivateKey rsa) {
                this.algorithm = JWSAlgorithm.RS256;
                this.signer = new RSASSASigner(rsa);
            } else {
                throw new IllegalArgumentException("Unsupported key type " + key.getAlgorithm());
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("Cannot sign with this key: " + e.getMessage(), e);
        }
    }

    /** A new EC P-256 key pair (ES256). */
    public static KeyPair newEcKeyPair() {
        return generate("EC", new ECGenParameterSpec("secp256r1"));
    }

    /** A new 2048-bit RSA key pair (RS256). */
    public static KeyPair newRsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate an RSA key pair", e);
        }
    }

    /** The PEM "PRIVATE KEY" (PKCS#8) text of a private key. */
    public static String formatPrivateKey(PrivateKey key) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
    }

    /** Reads a PEM "PRIVATE KEY" (PKCS#8) holding an EC or RSA key. */
    public static PrivateKey parsePrivateKey(String pem) {
        byte[] der = Base64.getDecoder()
                .decode(pem.replace("-----BEGIN PRIVATE KEY-----", "")
                        .replace("-----END PRIVATE KEY-----", "")
                        .replaceAll("\\s", ""));
        for (String algorithm : new String[] {"EC", "RSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("The PEM private key is neither an EC nor an RSA key");
    }

    /**
     * A token for {@code audience} ({@link ConnectorAudience}: {@code <account>:<region>:<connectorId>}) with
     * {@code scopes}, issued by {@link #ISSUER}, valid for {@code lifetime} from {@code now}.
     */
    public String mint(String subject, String audience, Collection<String> scopes, Instant now, Duration lifetime) {
        return sign(claims(subject, audience, scopes, now, lifetime).build());
    }

    /** The claims {@link #mint} signs, for a caller (a test) that changes some before {@link #sign}ing. */
    public static JWTClaimsSet.Builder claims(
            String subject, String audience, Collection<String> scopes, Instant now, Duration lifetime) {
        return new JWTClaimsSet.Builder()
                .subject(subject)
                .audience(audience)
                .issuer(ISSUER)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .claim("scope", String.join(" ", scopes));
    }

    /** {@code claims} signed with this minter's key. */
    public String sign(JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(algorithm)
                        .type(com.nimbusds.jose.JOSEObjectType.JWT)
                        .build(),
                claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign the token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** The algorithm tokens are signed with. */
    public String algorithm() {
        return algorithm.getName() + " (" + key.getAlgorithm() + ")";
    }

    private static KeyPair generate(String algorithm, java.security.spec.AlgorithmParameterSpec spec) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(spec);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate an " + algorithm + " key pair", e);
        }
    }
}
