package io.cloudconnector.scalez.cli;

import io.cloudconnector.scalez.model.ProgressListener;
import java.io.PrintStream;

/** A one-line progress bar on stderr, redrawn at most ten times a second, shown only on a terminal. */
final class ProgressBar implements ProgressListener {

    private final PrintStream err;
    private final long started = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    private ProgressBar(PrintStream err) {
        this.err = err;
    }

    /** A bar when stderr is a terminal, else nothing. */
    static ProgressListener forTerminal() {
        var console = System.console();
        return console != null && console.isTerminal() ? new ProgressBar(System.err) : ProgressListener.NONE;
    }

    @Override
    public synchronized void progressed(long done, long total) {
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L && done != total) {
            return;
        }
        lastDraw = now;
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        var rate = String.format("%.1f MiB/s", done / seconds / (1 << 20));
        String line;
        if (total > 0) {
            int width = 30;
            int filled = (int) Math.min(width, width * done / total);
            line = String.format(
                    "[%s%s] %5.1f%% %s / %s  %s",
                    "#".repeat(filled),
                    " ".repeat(width - filled),
                    100.0 * done / total,
                    size(done),
                    size(total),
                    rate);
        } else {
            line = String.format("%s  %s", size(done), rate);
        }
        err.print("\r" + line + "\u001b[K");
        drawn = true;
    }

    /** Ends the bar's line. */
    synchronized void finish() {
        if (drawn) {
            err.print("\r\u001b[K");
            err.flush();
        }
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.1f %s", v, units[u]);
    }
}
