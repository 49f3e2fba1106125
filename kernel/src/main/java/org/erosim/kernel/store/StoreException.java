package org.erosim.kernel.store;

/**
 * A store file could not be read or written: an I/O failure, or a write the store cannot
 * accept (a count that would shrink, a node written over a page). The message is one line
 * naming the file; the CLI prints it and exits 2.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
