package io.cloudconnector.e2e.local;

import io.cloudconnector.common.security.DevTokenMinter;
import io.cloudconnector.common.security.PemPublicKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Creates the local development signing key pair (ES256) unless it exists. */
@Command(name = "keygen", description = "Create the development signing key in DIR unless it exists.")
final class KeygenCommand implements Callable<Integer> {

    static final String PRIVATE_KEY = "dev-key.pem";
    static final String PUBLIC_KEY = "dev-key.pub.pem";

    @Option(names = "--dir", required = true, description = "Directory for dev-key.pem and dev-key.pub.pem.")
    Path dir;

    @Override
    public Integer call() throws IOException {
        Path privateKey = dir.resolve(PRIVATE_KEY);
        Path publicKey = dir.resolve(PUBLIC_KEY);
        if (Files.exists(privateKey) && Files.exists(publicKey)) {
            return 0;
        }
        Files.createDirectories(dir);
        var keys = DevTokenMinter.newEcKeyPair();
        Files.writeString(publicKey, PemPublicKeys.format(keys.getPublic()));
        Files.writeString(privateKey, DevTokenMinter.formatPrivateKey(keys.getPrivate()));
        Files.setPosixFilePermissions(privateKey, PosixFilePermissions.fromString("rw-------"));
        System.out.println("Created development signing key " + privateKey + " (ES256)");
        return 0;
    }
}
