package io.cloudconnector.scalez.source;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which blocks of a sparse file hold data, from Linux's {@code lseek(SEEK_DATA / SEEK_HOLE)}: a block that lies
 * wholly in a hole reads as zeros and need not be read. Empty wherever that cannot be asked (another OS, no
 * native access, a call that fails): the caller then reads every block.
 */
final class SparseMap {

    private static final int O_RDONLY = 0;
    private static final int SEEK_DATA = 3;
    private static final int SEEK_HOLE = 4;
    private static final int ENXIO = 6;

    private static final @Nullable Calls CALLS = Calls.load();

    private SparseMap() {}

    private record Calls(
            MethodHandle open, MethodHandle lseek, MethodHandle close, StructLayout state, VarHandle errno) {
        static @Nullable Calls load() {
            if (!System.getProperty("os.name", "").startsWith("Linux")) {
                return null;
            }
            try {
                var linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                var state = Linker.Option.captureStateLayout();
                var errno = state.varHandle(MemoryLayout.PathElement.groupElement("errno"));
                var capture = Linker.Option.captureCallState("errno");
                var open = linker.downcallHandle(
                        libc.find("open").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
                var lseek = linker.downcallHandle(
                        libc.find("lseek").orElseThrow(),
                        FunctionDescriptor.of(
                                ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_INT),
                        capture);
                var close = linker.downcallHandle(
                        libc.find("close").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                return new Calls(open, lseek, close, state, errno);
            } catch (RuntimeException | LinkageError e) {
                return null;
            }
        }
    }

    /**
     * The blocks of {@code blockSize} bytes of the regular file {@code file} ({@code size} bytes) that overlap data;
     * empty when unknown.
     */
    static Optional<BitSet> dataBlocks(Path file, long size, int blockSize) {
        var calls = CALLS;
        if (calls == null || size <= 0) {
            return Optional.empty();
        }
        try (var arena = Arena.ofConfined()) {
            int fd = (int) calls.open().invokeExact(arena.allocateFrom(file.toString()), O_RDONLY);
            if (fd < 0) {
                return Optional.empty();
            }
            try {
                var state = arena.allocate(calls.state());
                var blocks = new BitSet();
                long position = 0;
                while (position < size) {
                    long data = (long) calls.lseek().invokeExact(state, fd, position, SEEK_DATA);
                    if (data < 0) {
                        if ((int) calls.errno().get(state, 0L) == ENXIO) {
                            break; // only a hole from here to the end
                        }
                        return Optional.empty();
                    }
                    long hole = (long) calls.lseek().invokeExact(state, fd, data, SEEK_HOLE);
                    if (hole < 0) {
                        return Optional.empty();
                    }
                    hole = Math.min(hole, size);
                    if (hole > data) {
                        blocks.set((int) (data / blockSize), (int) ((hole - 1) / blockSize) + 1);
                    }
                    position = hole;
                }
                return Optional.of(blocks);
            } finally {
                int ignored = (int) calls.close().invokeExact(fd);
            }
        } catch (Throwable t) {
            if (t instanceof Error e && !(t instanceof LinkageError)) {
                throw e;
            }
            return Optional.empty();
        }
    }
}
