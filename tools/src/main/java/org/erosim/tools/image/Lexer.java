package org.erosim.tools.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one description file into tokens. Line-oriented: every line break is a
 * {@link Token.Kind#NEWLINE} token (the grammar ends statements with them); {@code #}
 * starts a comment that runs to the end of the line. Positions are 1-based lines and
 * columns counted in characters (a tab is one column).
 *
 * <ul>
 * <li>word: a letter or {@code _}, then letters, digits, {@code _ - .}
 *     ({@code red-segment}, {@code read-only}, {@code hello.v2});</li>
 * <li>number: a digit, then letters, digits and {@code _}: decimal {@code 4096}, hex
 *     {@code 0x1000}, binary {@code 0b101}, optional size suffix {@code K M G} (×1024ⁿ),
 *     {@code _} separators ({@code 0xC000_0000}); the value must fit in 32 unsigned bits;</li>
 * <li>string: {@code "..."} on one line, escapes {@code \\} and {@code \"};</li>
 * <li>punctuation {@code { } =}.</li>
 * </ul>
 */
final class Lexer {
    private final String file;
    private final String src;
    private int at;
    private int line = 1;
    private int lineStart;

    private Lexer(String file, String src) {
        this.file = file;
        this.src = src;
    }

    /** All tokens of {@code src}, ending with NEWLINE (if the text does not end with one) and EOF. */
    static List<Token> tokens(String file, String src) throws DescriptionException {
        return new Lexer(file, src).run();
    }

    private Ast.Pos pos(int offset) {
        return new Ast.Pos(file, line, offset - lineStart + 1);
    }

    private List<Token> run() throws DescriptionException {
        List<Token> out = new ArrayList<>();
        while (at < src.length()) {
            char c = src.charAt(at);
            int start = at;
            if (c == '\n') {
                out.add(new Token(Token.Kind.NEWLINE, "\n", 0, pos(at)));
                at++;
                line++;
                lineStart = at;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
                at++;
            } else if (c == '#') {
                while (at < src.length() && src.charAt(at) != '\n') {
                    at++;
                }
            } else if (c == '{' || c == '}' || c == '=') {
                Token.Kind k = c == '{' ? Token.Kind.LBRACE : c == '}' ? Token.Kind.RBRACE : Token.Kind.EQUALS;
                out.add(new Token(k, String.valueOf(c), 0, pos(at)));
                at++;
            } else if (c == '"') {
                out.add(string());
            } else if (isWordStart(c)) {
                while (at < src.length() && isWordPart(src.charAt(at))) {
                    at++;
                }
                out.add(new Token(Token.Kind.WORD, src.substring(start, at), 0, pos(start)));
            } else if (c >= '0' && c <= '9') {
                while (at < src.length() && isNumberPart(src.charAt(at))) {
                    at++;
                }
                String text = src.substring(start, at);
                out.add(new Token(Token.Kind.NUMBER, text, number(text, pos(start)), pos(start)));
            } else {
                throw new DescriptionException(pos(at), "unexpected character " + printable(c));
            }
        }
        if (out.isEmpty() || out.get(out.size() - 1).kind() != Token.Kind.NEWLINE) {
            out.add(new Token(Token.Kind.NEWLINE, "\n", 0, pos(at)));
        }
        out.add(new Token(Token.Kind.EOF, "", 0, pos(at)));
        return out;
    }

    private Token string() throws DescriptionException {
        Ast.Pos p = pos(at);
        StringBuilder b = new StringBuilder();
        at++; // opening quote
        while (true) {
            if (at >= src.length() || src.charAt(at) == '\n') {
                throw new DescriptionException(p, "unterminated string (a string ends with \" on the same line)");
            }
            char c = src.charAt(at);
            if (c == '"') {
                at++;
                return new Token(Token.Kind.STRING, b.toString(), 0, p);
            }
            if (c == '\\') {
                char e = at + 1 < src.length() ? src.charAt(at + 1) : '\n';
                if (e != '\\' && e != '"') {
                    // A control character after the backslash (a carriage return, say) is named by
                    // its code: quoted raw it would break the message's one line.
                    String escape = e == '\n' ? "\\" : e >= 0x20 && e < 0x7F ? "\\" + e : "\\ followed by " + printable(e);
                    throw new DescriptionException(pos(at), "unknown escape " + escape
                        + " in string (only \\\\ and \\\" are escapes)");
                }
                b.append(e);
                at += 2;
            } else if (c < 0x20 && c != '\t' || c == 0x7F) {
                // a carriage return or other control character would garble the one-line messages that quote strings
                throw new DescriptionException(pos(at), "control character " + printable(c) + " in string");
            } else {
                b.append(c);
                at++;
            }
        }
    }

    /**
     * The value of a number token, or a "bad number" error. Accepts exactly the forms in the
     * class comment; anything else that starts with a digit ({@code 12ab}, {@code 0x},
     * {@code 0x1_}) is rejected here rather than split into surprising tokens.
     */
    static long number(String text, Ast.Pos p) throws DescriptionException {
        String t = text;
        long mult = 1;
        char last = t.charAt(t.length() - 1);
        boolean hex = t.length() > 1 && (t.charAt(1) == 'x' || t.charAt(1) == 'X') && t.charAt(0) == '0';
        if (last == 'K' || last == 'M' || last == 'G') {
            mult = last == 'K' ? 1L << 10 : last == 'M' ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
        }
        int radix = 10;
        if (hex) {
            radix = 16;
            t = t.substring(2);
        } else if (t.length() > 1 && t.charAt(0) == '0' && (t.charAt(1) == 'b' || t.charAt(1) == 'B')) {
            radix = 2;
            t = t.substring(2);
        }
        if (t.isEmpty() || t.startsWith("_") || t.endsWith("_")) {
            throw new DescriptionException(p, "bad number '" + text + "'");
        }
        long v = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '_') {
                continue;
            }
            int d = Character.digit(c, radix);
            if (d < 0) {
                throw new DescriptionException(p, "bad number '" + text + "'");
            }
            v = v * radix + d;
            if (v > 0xFFFF_FFFFL) {
                throw new DescriptionException(p, "bad number '" + text + "': larger than 0xffffffff");
            }
        }
        v *= mult;
        if (v > 0xFFFF_FFFFL) {
            throw new DescriptionException(p, "bad number '" + text + "': larger than 0xffffffff");
        }
        return v;
    }

    private static boolean isWordStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isWordPart(char c) {
        return isWordStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
    }

    private static boolean isNumberPart(char c) {
        return isWordStart(c) || (c >= '0' && c <= '9');
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
