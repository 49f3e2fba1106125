package org.erosim.tools.conformance;

/** A MOO file is truncated or malformed; the message names the file and what is wrong. */
public final class MooFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public MooFormatException(String message) {
        super(message);
    }
}
