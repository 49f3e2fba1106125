package org.erosim.tools.storm;

import java.io.PrintStream;
import org.erosim.bench.storm.StormProgress;

/**
 * A one-line progress bar on stderr for {@code erosim storm} (tools.md: long work shows a
 * progress bar on stderr when it is a terminal, and stays quiet otherwise). Redrawn at most
 * ten times a second with a carriage return; {@link #finish} erases it.
 */
public final class TerminalProgress implements StormProgress {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream err;
    private String phase = "";
    private long total = 1;
    private long lastDraw;
    private int drawnLength;

    private TerminalProgress(PrintStream err) {
        this.err = err;
    }

    /** A bar on {@code System.err} if stderr is a terminal, else {@link StormProgress#NONE}. */
    public static StormProgress forConsole() {
        return stderrIsTerminal() ? new TerminalProgress(System.err) : StormProgress.NONE;
    }

    /**
     * Whether file descriptor 2 is a terminal. Java has no isatty: on Linux the descriptor's
     * link in /proc names the device (a pty or a tty); elsewhere {@link System#console()}
     * (stdin and stdout both terminals) is the best guess. So {@code erosim storm > report.txt}
     * still shows the bar, and a redirected or piped stderr never gets one.
     */
    static boolean stderrIsTerminal() {
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    @Override
    public void phase(String name, long steps) {
        phase = name;
        total = Math.max(1, steps);
        draw(0, true);
    }

    @Override
    public void advance(long done) {
        draw(done, false);
    }

    @Override
    public void finish() {
        if (drawnLength > 0) {
            err.print("\r" + " ".repeat(drawnLength) + "\r");
            err.flush();
            drawnLength = 0;
        }
    }

    private void draw(long done, boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        long d = Math.max(0, Math.min(done, total));
        int filled = (int) (WIDTH * d / total);
        String line = String.format("%s [%s%s] %3d%% %,d/%,d", phase, "#".repeat(filled), ".".repeat(WIDTH - filled),
            100 * d / total, d, total);
        err.print("\r" + line + (line.length() < drawnLength ? " ".repeat(drawnLength - line.length()) : ""));
        err.flush();
        drawnLength = line.length();
    }
}
