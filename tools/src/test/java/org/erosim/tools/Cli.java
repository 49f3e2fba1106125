package org.erosim.tools;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * What one {@code erosim} command printed and returned, run in-process through
 * {@link Main#execute} with its standard output and error captured: the one helper every
 * command test uses.
 */
public record Cli(int status, String out, String err) {
    /** Runs {@code erosim args...} and captures its output. */
    public static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(status, out.toString(), err.toString());
    }

    /** Standard output's lines. */
    public java.util.List<String> lines() {
        return out.lines().toList();
    }
}
