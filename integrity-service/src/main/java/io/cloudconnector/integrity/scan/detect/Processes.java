package io.cloudconnector.integrity.scan.detect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Runs an external program with a deadline: it is killed (with its children) when the deadline passes. */
public final class Processes {

    private Processes() {}

    /** What a finished program left: exit code, standard output and error. */
    public record Result(int exitCode, byte[] stdout, String stderr) {

        /** Standard output as text. */
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /** The program could not run or did not finish in time. */
    public static final class ProcessException extends RuntimeException {
        public ProcessException(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    /** Runs {@code command} to completion or until {@code timeout}; never throws for a non-zero exit. */
    public static Result run(List<String> command, byte @Nullable [] stdin, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new ProcessException("Cannot start " + command.getFirst() + ": " + e.getMessage(), e);
        }
        var out = drain(process.getInputStream());
        var err = drain(process.getErrorStream());
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        } catch (IOException e) {
            // The program closed its input early; its exit code says whether that mattered.
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new ProcessException(command.getFirst() + " did not finish within " + timeout, null);
            }
            return new Result(
                    process.exitValue(),
                    out.get(timeout.toMillis(), TimeUnit.MILLISECONDS),
                    new String(err.get(timeout.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new ProcessException(command.getFirst() + " was interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            kill(process);
            throw new ProcessException("Cannot read the output of " + command.getFirst(), e);
        }
    }

    /** Runs {@code command} and fails unless it exits 0; returns its standard output. */
    public static byte[] check(List<String> command, byte @Nullable [] stdin, Duration timeout) {
        var result = run(command, stdin, timeout);
        if (result.exitCode() != 0) {
            throw new ProcessException(
                    command.getFirst() + " exited " + result.exitCode() + ": "
                            + result.stderr().strip(),
                    null);
        }
        return result.stdout();
    }

    /** Stops {@code process} and its descendants. */
    public static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static CompletableFuture<byte[]> drain(InputStream stream) {
        var result = new CompletableFuture<byte[]>();
        Thread.ofVirtual().start(() -> {
            try (stream) {
                result.complete(stream.readAllBytes());
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return result;
    }
}
