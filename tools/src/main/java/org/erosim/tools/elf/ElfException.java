package org.erosim.tools.elf;

/**
 * A file that cannot be used as an ELF32 i386 image (unreadable, not ELF, or malformed).
 * The message is one line that starts with the file name and says what is wrong, ready to
 * print after {@code erosim: }.
 */
public final class ElfException extends Exception {
    private static final long serialVersionUID = 1L;

    public ElfException(String message) {
        super(message, null, false, false);
    }
}
