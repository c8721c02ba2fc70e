package io.cloudconnector.scalez.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Argon2id through the reference C library ({@code libargon2.so.1}, Debian's libargon2-1) when the machine has
 * it: the same function as Bouncy Castle's, several times faster than it in a JVM that has not yet compiled
 * it (the KDF runs once per command, so it never gets warm). Empty whenever the library cannot be used; the
 * caller then computes it in Java.
 */
final class NativeArgon2 {

    private static final String[] LIBRARIES = {"libargon2.so.1", "libargon2.so"};
    private static final @Nullable MethodHandle HASH_RAW = load();

    private NativeArgon2() {}

    private static @Nullable MethodHandle load() {
        if (Boolean.getBoolean("scalez.argon2.java")) {
            return null;
        }
        for (var name : LIBRARIES) {
            try {
                var library = SymbolLookup.libraryLookup(name, Arena.global());
                var symbol = library.find("argon2id_hash_raw");
                if (symbol.isEmpty()) {
                    continue;
                }
                // int argon2id_hash_raw(uint32_t t_cost, uint32_t m_cost, uint32_t parallelism, const void *pwd,
                //     size_t pwdlen, const void *salt, size_t saltlen, void *hash, size_t hashlen)
                return Linker.nativeLinker()
                        .downcallHandle(
                                symbol.get(),
                                FunctionDescriptor.of(
                                        ValueLayout.JAVA_INT,
                                        ValueLayout.JAVA_INT,
                                        ValueLayout.JAVA_INT,
                                        ValueLayout.JAVA_INT,
                                        ValueLayout.ADDRESS,
                                        ValueLayout.JAVA_LONG,
                                        ValueLayout.ADDRESS,
                                        ValueLayout.JAVA_LONG,
                                        ValueLayout.ADDRESS,
                                        ValueLayout.JAVA_LONG));
            } catch (RuntimeException | LinkageError e) {
                // not on this machine, or native access refused: try the next name, then Java
            }
        }
        return null;
    }

    /** Whether the C library is in use. */
    static boolean available() {
        return HASH_RAW != null;
    }

    /** Argon2id version 1.3 of {@code password} into {@code length} bytes; empty if the library cannot. */
    static Optional<byte[]> hash(byte[] password, byte[] salt, KdfParameters kdf, int length) {
        var handle = HASH_RAW;
        if (handle == null) {
            return Optional.empty();
        }
        try (var arena = Arena.ofConfined()) {
            var pwd = arena.allocate(Math.max(1, password.length));
            MemorySegment.copy(password, 0, pwd, ValueLayout.JAVA_BYTE, 0, password.length);
            var saltSegment = arena.allocateFrom(ValueLayout.JAVA_BYTE, salt);
            var out = arena.allocate(length);
            int rc = (int) handle.invokeExact(
                    kdf.iterations(),
                    kdf.memoryKiB(),
                    kdf.parallelism(),
                    pwd,
                    (long) password.length,
                    saltSegment,
                    (long) salt.length,
                    out,
                    (long) length);
            var result = out.toArray(ValueLayout.JAVA_BYTE);
            pwd.fill((byte) 0);
            out.fill((byte) 0);
            return rc == 0 ? Optional.of(result) : Optional.empty();
        } catch (Throwable t) {
            if (t instanceof Error e && !(t instanceof LinkageError)) {
                throw e;
            }
            return Optional.empty();
        }
    }
}
