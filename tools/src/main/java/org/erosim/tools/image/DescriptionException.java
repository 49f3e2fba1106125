package org.erosim.tools.image;

/**
 * A system description that cannot be built: a syntax error, a name or kind error, a
 * missing or unusable ELF file, a cycle of includes. The message is exactly one line,
 * {@code file:line:col: what is wrong}, where the position is in the file that holds the
 * offending text (an included file's own position, not the include statement's). Every
 * failure of {@link DescriptionParser}, {@link SystemChecker} and {@link ImageCompiler}
 * for bad input is this exception; nothing else escapes them for any input.
 */
public final class DescriptionException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Ast.Pos pos;
    private final String detail;

    public DescriptionException(Ast.Pos pos, String detail) {
        super(pos + ": " + detail, null, false, false);
        this.pos = pos;
        this.detail = detail;
    }

    /** Where the error is. */
    public Ast.Pos pos() {
        return pos;
    }

    /** The message without its position. */
    public String detail() {
        return detail;
    }
}
