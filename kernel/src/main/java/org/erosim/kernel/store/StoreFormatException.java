package org.erosim.kernel.store;

/**
 * A store file is malformed: truncated, not a store, a bad checksum, a directory that
 * points outside the file or is not sorted, a record of impossible length. The message is
 * one line: {@code FILE: problem}.
 */
public final class StoreFormatException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreFormatException(String message) {
        super(message);
    }
}
