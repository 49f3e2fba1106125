package org.erosim.tools.image;

/**
 * One token of a description. {@code text} is the source text (for a string, its value
 * with escapes resolved); {@code value} is a number's value (always 0..0xFFFFFFFF).
 */
record Token(Kind kind, String text, long value, Ast.Pos pos) {
    enum Kind { WORD, NUMBER, STRING, LBRACE, RBRACE, EQUALS, NEWLINE, EOF }

    /** How the token reads in an error message: "'foo'", "end of line", "a string". */
    String describe() {
        return switch (kind) {
            case NEWLINE -> "end of line";
            case EOF -> "end of file";
            case STRING -> "string \"" + text + "\"";
            default -> "'" + text + "'";
        };
    }

    boolean isWord(String w) {
        return kind == Kind.WORD && text.equals(w);
    }
}
