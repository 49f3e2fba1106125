package org.erosim.kernel.cost;

/**
 * A cost file that cannot be used. The message is one line, {@code FILE:LINE: what is
 * wrong} (or {@code FILE: what is wrong} when no single line is at fault), ready for the
 * command line to print as it is.
 */
public final class CostModelException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;

    CostModelException(String file, int line, String what) {
        super(line > 0 ? file + ":" + line + ": " + what : file + ": " + what);
        this.file = file;
        this.line = line;
    }

    /** The file as named by the caller. */
    public String file() {
        return file;
    }

    /** The 1-based line at fault, or 0 when the problem is the file as a whole. */
    public int line() {
        return line;
    }
}
