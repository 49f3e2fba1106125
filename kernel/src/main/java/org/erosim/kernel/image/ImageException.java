package org.erosim.kernel.image;

/**
 * Invalid use of the {@link ImageBuilder}: a handle that names no object (or the wrong
 * kind), a slot or height out of range, overlapping program regions, an I/O failure while
 * writing. The message is one line meant for a user (the .erosys front end prefixes it
 * with file:line:col); no stack trace needs to be shown.
 */
public final class ImageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
