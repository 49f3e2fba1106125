package org.erosim.tools.boot;

/** A kernel or ROM that cannot be booted; the message is one line naming the file and the problem. */
public final class BootException extends Exception {
    private static final long serialVersionUID = 1L;

    public BootException(String message) {
        super(message, null, false, false);
    }
}
