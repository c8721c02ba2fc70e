package io.cloudconnector.scalez.repo;

import io.cloudconnector.scalez.FormatException;
import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.blob.BlobNotFoundException;
import io.cloudconnector.scalez.blob.BlobStore;
import io.cloudconnector.scalez.crypto.Aead;
import io.cloudconnector.scalez.crypto.DecryptionException;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.crypto.KeyFile;
import io.cloudconnector.scalez.crypto.MasterKeys;
import io.cloudconnector.scalez.crypto.WrongCredentialException;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.internal.RepositoryConfig;
import io.cloudconnector.scalez.model.CorruptObjectException;
import io.cloudconnector.scalez.model.RepositorySettings;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A repository's key files and config: written at init, and at open the key file that a credential unlocks, with
 * the config it decrypts. The {@link Repository} facade's static factories use it.
 */
final class RepositoryKeys {

    /** An open repository's config and master keys. */
    record Unlocked(RepositoryConfig config, MasterKeys keys) {}

    private RepositoryKeys() {}

    /** Writes a fresh key file and config (see {@link Repository#init(BlobStore, KeyCredential)}). */
    static Unlocked create(BlobStore store, KeyCredential credential, RepositorySettings settings) {
        if (store.stat(RepositoryConfig.KEY).isPresent() || !store.list("keys/").isEmpty()) {
            throw new ScalezException("A repository already exists at " + store.location());
        }
        var random = new SecureRandom();
        var idBytes = new byte[16];
        random.nextBytes(idBytes);
        var repositoryId = HexFormat.of().formatHex(idBytes);
        var keys = MasterKeys.generate();
        var keyFile = KeyFile.wrap(keys, credential, repositoryId);
        var seed = new byte[32];
        random.nextBytes(seed);
        var config = new RepositoryConfig(RepositoryConfig.CURRENT_VERSION, repositoryId, settings, seed);
        var sealedConfig = config.seal(new Aead(keys.dataKey()));
        store.putIfAbsent(keyKey(keyFile), keyFile.encoded());
        if (!store.putIfAbsent(RepositoryConfig.KEY, sealedConfig)) {
            store.delete(keyKey(keyFile));
            throw new ScalezException("A repository was created at " + store.location() + " at the same time");
        }
        return new Unlocked(config, keys);
    }

    /** Finds the key file {@code credential} unlocks and reads the config (see {@link Repository#open}). */
    static Unlocked unlock(BlobStore store, KeyCredential credential) {
        var keyInfos = store.list("keys/");
        if (keyInfos.isEmpty()) {
            if (store.stat(RepositoryConfig.KEY).isPresent()) {
                throw new CorruptObjectException("keys/", "no key file: the repository cannot be opened");
            }
            throw new ScalezException("No repository at " + store.location() + " (run init first)");
        }
        MasterKeys keys = null;
        KeyFile opened = null;
        CorruptObjectException damaged = null;
        WrongCredentialException refused = null;
        for (var info : keyInfos) {
            KeyFile file;
            try {
                var bytes = store.get(info.key());
                var actual = ObjectId.sha256(bytes);
                if (!info.key().equals("keys/" + actual.hex())) {
                    throw new CorruptObjectException(
                            info.key(), "content does not match its name (SHA-256 " + actual.shortHex() + ")");
                }
                file = KeyFile.parse(bytes);
            } catch (FormatException e) {
                damaged = new CorruptObjectException(info.key(), "is malformed: " + e.getMessage());
                continue;
            } catch (CorruptObjectException e) {
                damaged = e;
                continue;
            }
            if (!file.accepts(credential)) {
                continue;
            }
            try {
                keys = file.unwrap(credential);
                opened = file;
                break;
            } catch (WrongCredentialException e) {
                refused = e;
            }
        }
        if (keys == null || opened == null) {
            if (refused != null) {
                throw refused;
            }
            if (damaged != null) {
                throw damaged;
            }
            throw new WrongCredentialException("No key file of " + store.location() + " can be opened with a "
                    + (credential instanceof KeyCredential.Passphrase ? "passphrase" : "KMS key"));
        }
        RepositoryConfig config;
        try {
            config = RepositoryConfig.open(store.get(RepositoryConfig.KEY), new Aead(keys.dataKey()));
        } catch (BlobNotFoundException e) {
            throw new CorruptObjectException(RepositoryConfig.KEY, "missing");
        } catch (DecryptionException | FormatException e) {
            throw new CorruptObjectException(RepositoryConfig.KEY, "does not decrypt or parse: " + e.getMessage());
        }
        if (!config.repositoryId().equals(opened.repository())) {
            throw new CorruptObjectException(
                    keyKey(opened), "belongs to repository " + opened.repository() + ", not " + config.repositoryId());
        }
        return new Unlocked(config, keys);
    }

    static String keyKey(KeyFile file) {
        return "keys/" + ObjectId.sha256(file.encoded()).hex();
    }
}
