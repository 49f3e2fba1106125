package org.erosim.tools.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.erosim.kernel.abi.Restriction;

/**
 * Parses a description file and the files it includes into an {@link Ast.SystemDescription}.
 * The grammar is in {@code docs/image-language.md}. Recursive descent over the tokens of
 * one file at a time; an include is parsed where it stands, so declarations keep source
 * order across files.
 *
 * <p>Includes: the path is relative to the including file's directory. Each file is read
 * at most once (a second include of the same file is a no-op, so shared definitions can
 * be included from several places); including a file that is still being parsed — a file
 * on the current chain of includes — is a cycle and an error naming the chain.
 *
 * <p>The first error ends the parse with a {@link DescriptionException}; no other exception
 * escapes for any file contents.
 */
public final class DescriptionParser {
    /** Larger files are refused before reading: a description is a few kilobytes. */
    public static final long MAX_FILE_SIZE = 8L << 20;

    private static final String[] TOP_LEVEL = {"include", "program", "page", "node", "segment", "red-segment",
        "process"};
    private static final String[] REGISTERS = {"eax", "ebx", "ecx", "edx", "esi", "edi", "ebp"};

    private final List<Ast.Decl> decls = new ArrayList<>();
    /** Real paths of the files on the current include chain, outermost first. */
    private final List<Path> chain = new ArrayList<>();
    private final List<String> chainNames = new ArrayList<>();
    /** Real paths of every file read so far. */
    private final Set<Path> seen = new HashSet<>();

    private List<Token> tokens;
    private int next;
    private Path dir;

    private DescriptionParser() {
    }

    /** Parses {@code file}; positions in messages name files as {@code file} spells them. */
    public static Ast.SystemDescription parse(Path file) throws DescriptionException {
        DescriptionParser p = new DescriptionParser();
        String name = file.toString();
        p.parseFile(file, name, new Ast.Pos(name, 1, 1), null);
        return new Ast.SystemDescription(name, List.copyOf(p.decls));
    }

    /**
     * Parses {@code text} as the contents of a file called {@code name} in directory
     * {@code dir} (includes and ELF paths resolve against it). Used by tests and tools that
     * generate descriptions.
     */
    public static Ast.SystemDescription parse(String name, String text, Path dir) throws DescriptionException {
        DescriptionParser p = new DescriptionParser();
        p.chainNames.add(name);
        p.chain.add(dir.toAbsolutePath().normalize().resolve(name));
        p.parseTokens(Lexer.tokens(name, text), dir);
        return new Ast.SystemDescription(name, List.copyOf(p.decls));
    }

    // ------------------------------------------------------------------ files and includes

    /** Reads and parses one file; {@code at} is where an error about the file itself is reported. */
    private void parseFile(Path file, String name, Ast.Pos at, String includeText) throws DescriptionException {
        String what = includeText == null ? "" : "cannot include \"" + includeText + "\": ";
        Path real;
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new DescriptionException(at, what + name + " is a directory");
            }
            real = file.toRealPath();
            int onChain = chain.indexOf(real);
            if (onChain >= 0) {
                List<String> cycle = new ArrayList<>(chainNames.subList(onChain, chainNames.size()));
                cycle.add(name);
                throw new DescriptionException(at, "include cycle: " + String.join(" -> ", cycle));
            }
            if (!seen.add(real)) {
                return; // already included elsewhere: each file is read once
            }
            long size = Files.size(real);
            if (size > MAX_FILE_SIZE) {
                throw new DescriptionException(at, what + name + " is too large (" + size + " bytes, at most "
                    + MAX_FILE_SIZE + ")");
            }
            bytes = Files.readAllBytes(real);
        } catch (NoSuchFileException e) {
            throw new DescriptionException(at, what + name + ": no such file");
        } catch (IOException | SecurityException e) {
            throw new DescriptionException(at, what + name + ": cannot read: " + e.getMessage());
        }
        List<Token> saved = tokens;
        int savedNext = next;
        Path savedDir = dir;
        chain.add(real);
        chainNames.add(name);
        Path parent = file.toAbsolutePath().getParent();
        parseTokens(Lexer.tokens(name, new String(bytes, StandardCharsets.UTF_8)), parent);
        chain.remove(chain.size() - 1);
        chainNames.remove(chainNames.size() - 1);
        tokens = saved;
        next = savedNext;
        dir = savedDir;
    }

    private void parseTokens(List<Token> toks, Path directory) throws DescriptionException {
        this.tokens = toks;
        this.next = 0;
        this.dir = directory;
        while (peek().kind() != Token.Kind.EOF) {
            if (peek().kind() == Token.Kind.NEWLINE) {
                next++;
                continue;
            }
            statement();
        }
    }

    private void statement() throws DescriptionException {
        Token t = peek();
        if (t.kind() != Token.Kind.WORD) {
            throw error(t, "expected a statement (" + String.join(", ", TOP_LEVEL) + "), found " + t.describe());
        }
        switch (t.text()) {
            case "include" -> include();
            case "program" -> program();
            case "page" -> page();
            case "node" -> node(Ast.NodeKind.NODE);
            case "segment" -> node(Ast.NodeKind.SEGMENT);
            case "red-segment" -> node(Ast.NodeKind.RED_SEGMENT);
            case "process" -> process();
            default -> throw error(t, "unknown statement '" + t.text() + "'"
                + Names.suggestion(t.text(), List.of(TOP_LEVEL)) + " (expected one of: "
                + String.join(", ", TOP_LEVEL) + ")");
        }
    }

    private void include() throws DescriptionException {
        next++;
        Token s = expect(Token.Kind.STRING, "a file name in quotes after 'include'");
        endOfLine("the include");
        Path file = resolve(s);
        String shown = displayName(s.text(), file);
        // parseFile saves and restores this file's tokens around the included file
        parseFile(file, shown, s.pos(), s.text());
    }

    /** How a path from the text is shown in positions: relative paths as seen from the top file's directory. */
    private String displayName(String text, Path resolved) {
        Path t = Path.of(text);
        if (t.isAbsolute()) {
            return text;
        }
        String including = chainNames.get(chainNames.size() - 1);
        Path parent = Path.of(including).getParent();
        return parent == null ? t.normalize().toString() : parent.resolve(t).normalize().toString();
    }

    private Path resolve(Token s) throws DescriptionException {
        if (s.text().isEmpty() || s.text().indexOf('\0') >= 0) {
            throw error(s, "empty or invalid file name");
        }
        try {
            return dir.resolve(s.text()).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw error(s, "invalid file name \"" + s.text() + "\": " + e.getReason());
        }
    }

    // ------------------------------------------------------------------ declarations

    private void program() throws DescriptionException {
        next++;
        Ast.Ident name = ident("a program name");
        Token path = expect(Token.Kind.STRING, "the ELF file name in quotes after the program name");
        Ast.Num stack = null;
        Ast.Num top = null;
        while (peek().kind() == Token.Kind.WORD) {
            Token opt = take();
            if (opt.isWord("stack")) {
                stack = once(stack, opt, number("a stack size"));
            } else if (opt.isWord("stack-top")) {
                top = once(top, opt, number("a stack top address"));
            } else {
                throw error(opt, "unknown program option '" + opt.text() + "'"
                    + Names.suggestion(opt.text(), List.of("stack", "stack-top")) + " (expected stack or stack-top)");
            }
        }
        endOfLine("the program statement");
        decls.add(new Ast.ProgramDecl(name, resolve(path), path.text(), path.pos(), stack, top));
    }

    private void page() throws DescriptionException {
        next++;
        Ast.Ident name = ident("a page name");
        Token data = null;
        if (peek().kind() == Token.Kind.STRING) {
            data = take();
        }
        endOfLine("the page statement");
        decls.add(data == null ? new Ast.PageDecl(name, null, null, null)
            : new Ast.PageDecl(name, resolve(data), data.text(), data.pos()));
    }

    private void node(Ast.NodeKind kind) throws DescriptionException {
        next++;
        Ast.Ident name = ident("a " + kind.word + " name");
        List<Ast.SlotAssign> slots = new ArrayList<>();
        Map<Long, Ast.SlotAssign> bySlot = new LinkedHashMap<>();
        Ast.Num height = null;
        Ast.Num initial = null;
        Ast.Num keeper = null;
        Ast.Num background = null;
        Ast.Num convention = null;
        if (openBlock()) {
            while (!closeBlock()) {
                Token t = take();
                String w = t.kind() == Token.Kind.WORD ? t.text() : "";
                if (w.equals("slot")) {
                    Ast.Num n = number("a slot number");
                    expect(Token.Kind.EQUALS, "'=' after the slot number");
                    addSlot(slots, bySlot, new Ast.SlotAssign(n, key()), "slot");
                } else if (w.equals("height") && kind != Ast.NodeKind.NODE) {
                    height = once(height, t, number("a height (1..4)"));
                } else if (w.equals("initial") && kind == Ast.NodeKind.RED_SEGMENT) {
                    initial = once(initial, t, number("the number of initial slots"));
                } else if ((w.equals("keeper") || w.equals("background")) && kind == Ast.NodeKind.RED_SEGMENT) {
                    Ast.Num n = slotOrNone();
                    if (w.equals("keeper")) {
                        keeper = once(keeper, t, n);
                    } else {
                        background = once(background, t, n);
                    }
                    if (peek().kind() == Token.Kind.EQUALS) {
                        Token eq = take();
                        if (n.value() == org.erosim.kernel.abi.RedSegmentFormat.NONE) {
                            throw error(eq, "a " + w + " slot of 'none' cannot hold a key");
                        }
                        addSlot(slots, bySlot, new Ast.SlotAssign(n, key()), "slot");
                    }
                } else if (w.equals("convention") && kind == Ast.NodeKind.RED_SEGMENT) {
                    Token c = expect(Token.Kind.WORD, "node-key or pass after 'convention'");
                    if (!c.isWord("node-key") && !c.isWord("pass")) {
                        throw error(c, "unknown convention '" + c.text() + "' (expected node-key or pass)");
                    }
                    convention = once(convention, t, new Ast.Num(c.isWord("pass") ? 1 : 0, c.pos()));
                } else {
                    throw error(t, "expected " + kindStatements(kind) + " in " + kind.word + " '" + name.text()
                        + "', found " + t.describe());
                }
                endOfLine("the statement");
            }
        }
        endOfLine("the " + kind.word + " declaration");
        Ast.Format format = kind == Ast.NodeKind.RED_SEGMENT ? new Ast.Format(initial, keeper, background, convention)
            : null;
        decls.add(new Ast.NodeDecl(name, kind, height, List.copyOf(slots), format));
    }

    private static String kindStatements(Ast.NodeKind kind) {
        return switch (kind) {
            case NODE -> "'slot N = KEY'";
            case SEGMENT -> "height or slot";
            case RED_SEGMENT -> "height, initial, keeper, background, convention or slot";
        };
    }

    /** A slot number or {@code none} (returned as {@link org.erosim.kernel.abi.RedSegmentFormat#NONE}). */
    private Ast.Num slotOrNone() throws DescriptionException {
        Token t = peek();
        if (t.isWord("none")) {
            next++;
            return new Ast.Num(org.erosim.kernel.abi.RedSegmentFormat.NONE, t.pos());
        }
        if (t.kind() != Token.Kind.NUMBER) {
            throw error(t, "expected a slot number or 'none', found " + t.describe());
        }
        return number("a slot number");
    }

    private void process() throws DescriptionException {
        next++;
        Ast.Ident name = ident("a process name");
        Ast.Ident space = null;
        Ast.Num entry = null;
        Ast.Num sp = null;
        Ast.KeyExpr keeper = null;
        Ast.KeyExpr schedule = null;
        boolean runs = false;
        Token runToken = null;
        List<Ast.SlotAssign> regs = new ArrayList<>();
        Map<Long, Ast.SlotAssign> byReg = new LinkedHashMap<>();
        Map<String, Ast.Num> registers = new LinkedHashMap<>();
        Map<String, Ast.Pos> registerPos = new LinkedHashMap<>();
        List<Ast.MapAssign> maps = new ArrayList<>();
        if (!openBlock()) {
            throw error(peek(), "expected '{' after the process name, found " + peek().describe());
        }
        while (!closeBlock()) {
            Token t = take();
            String w = t.kind() == Token.Kind.WORD ? t.text() : "";
            switch (w) {
                case "space" -> space = once(space, t, ident("the name of a program, segment or page"));
                case "entry" -> entry = once(entry, t, number("an entry address"));
                case "stack-pointer" -> sp = once(sp, t, number("a stack pointer value"));
                case "keeper" -> keeper = once(keeper, t, key());
                case "schedule" -> schedule = once(schedule, t, key());
                case "keyreg" -> {
                    Ast.Num n = number("a key register number");
                    expect(Token.Kind.EQUALS, "'=' after the key register number");
                    addSlot(regs, byReg, new Ast.SlotAssign(n, key()), "keyreg");
                }
                case "register" -> {
                    Token r = expect(Token.Kind.WORD, "a register name (eax, ebx, ecx, edx, esi, edi, ebp)");
                    if (!List.of(REGISTERS).contains(r.text())) {
                        throw error(r, "unknown register '" + r.text() + "'" + Names.suggestion(r.text(),
                            List.of(REGISTERS)) + " (expected eax, ebx, ecx, edx, esi, edi or ebp)");
                    }
                    expect(Token.Kind.EQUALS, "'=' after the register name");
                    Ast.Num v = number("a register value");
                    if (registerPos.containsKey(r.text())) {
                        throw error(r, "register " + r.text() + " is already set (at " + registerPos.get(r.text())
                            + ")");
                    }
                    registers.put(r.text(), v);
                    registerPos.put(r.text(), r.pos());
                }
                case "map" -> maps.add(map(t));
                case "run" -> {
                    if (runs) {
                        throw error(t, "duplicate 'run' (first at " + runToken.pos() + ")");
                    }
                    runs = true;
                    runToken = t;
                }
                default -> throw error(t, "expected space, entry, stack-pointer, keeper, schedule, keyreg, register, "
                    + "map or run in process '" + name.text() + "', found " + t.describe()
                    + (w.isEmpty() ? "" : Names.suggestion(w, List.of("space", "entry", "stack-pointer", "keeper",
                    "schedule", "keyreg", "register", "map", "run"))));
            }
            endOfLine("the statement");
        }
        endOfLine("the process declaration");
        decls.add(new Ast.ProcessDecl(name, space, entry, sp, keeper, schedule, List.copyOf(regs),
            Map.copyOf(registers), List.copyOf(maps), runs));
    }

    /** {@code map ADDRESS = KEY}, after the word {@code map} ({@code word}). */
    private Ast.MapAssign map(Token word) throws DescriptionException {
        Ast.Num address = number("a map address");
        expect(Token.Kind.EQUALS, "'=' after the map address");
        return new Ast.MapAssign(word.pos(), address, key());
    }

    private void addSlot(List<Ast.SlotAssign> list, Map<Long, Ast.SlotAssign> bySlot, Ast.SlotAssign s, String what)
        throws DescriptionException {
        Ast.SlotAssign old = bySlot.putIfAbsent(s.slot().value(), s);
        if (old != null) {
            throw new DescriptionException(s.slot().pos(), what + " " + s.slot().value() + " is already set (at "
                + old.slot().pos() + ")");
        }
        list.add(s);
    }

    /** Records a once-only statement's value, or reports the repetition at {@code t}. */
    private <T> T once(T old, Token t, T value) throws DescriptionException {
        if (old != null) {
            Ast.Pos first = old instanceof Ast.Num n ? n.pos() : old instanceof Ast.Ident i ? i.pos()
                : ((Ast.KeyExpr) old).pos();
            throw error(t, "duplicate '" + t.text() + "' (first at " + first + ")");
        }
        return value;
    }

    // ------------------------------------------------------------------ keys

    /**
     * {@code KIND [TARGET] [badge N] {restriction}} or {@code number W [W [W]]}; the key
     * ends at the end of the line.
     */
    private Ast.KeyExpr key() throws DescriptionException {
        Token t = peek();
        if (t.kind() != Token.Kind.WORD) {
            throw error(t, "expected a key (void, number, start, process, node, segment, page, console, sleep, "
                + "systrace, discrim, range, checkpoint, sched), found " + t.describe());
        }
        Ast.KeyKind kind = Ast.KeyKind.byWord(t.text());
        if (kind == null) {
            List<String> words = new ArrayList<>();
            for (Ast.KeyKind k : Ast.KeyKind.values()) {
                words.add(k.word());
            }
            throw error(t, "unknown key kind '" + t.text() + "'" + Names.suggestion(t.text(), words)
                + " (expected one of: " + String.join(", ", words) + ")");
        }
        next++;
        if (kind == Ast.KeyKind.NUMBER) {
            long[] words = new long[3];
            int n = 0;
            while (peek().kind() == Token.Kind.NUMBER) {
                if (n == 3) {
                    throw error(peek(), "a number key holds at most 3 words");
                }
                words[n++] = take().value();
            }
            if (n == 0) {
                throw error(peek(), "expected 1 to 3 numbers after 'number', found " + peek().describe());
            }
            return new Ast.KeyExpr(kind, t.pos(), null, words, 0, 0);
        }
        Ast.Ident target = kind.hasTarget() ? ident("the name of the " + kind.word() + " key's object") : null;
        int badge = 0;
        boolean badged = false;
        int restrictions = 0;
        while (peek().kind() == Token.Kind.WORD) {
            Token o = take();
            int bit = restriction(o.text());
            if (o.isWord("badge") && kind == Ast.KeyKind.START) {
                if (badged) {
                    throw error(o, "duplicate 'badge'");
                }
                badged = true;
                Ast.Num b = number("a badge (0..65535)");
                if (b.value() > 0xFFFF) {
                    throw new DescriptionException(b.pos(), "badge " + b.value() + " out of range (0..65535)");
                }
                badge = (int) b.value();
            } else if (bit != 0 && kind.takesRestrictions()) {
                restrictions |= bit;
            } else if (bit != 0) {
                throw error(o, "'" + o.text() + "' does not apply to a " + kind.word()
                    + " key (only node, segment and page keys take restrictions)");
            } else {
                String options = kind == Ast.KeyKind.START ? "badge N" : kind.takesRestrictions()
                    ? "read-only, no-call, weak or opaque" : "";
                throw error(o, "unexpected '" + o.text() + "' after a " + kind.word() + " key"
                    + (options.isEmpty() ? "" : " (expected " + options + ")")
                    + Names.suggestion(o.text(), List.of("badge", "read-only", "no-call", "weak", "opaque")));
            }
        }
        return new Ast.KeyExpr(kind, t.pos(), target, null, badge, restrictions);
    }

    private static int restriction(String w) {
        return switch (w) {
            case "read-only" -> Restriction.READ_ONLY;
            case "no-call" -> Restriction.NO_CALL;
            case "weak" -> Restriction.WEAK;
            case "opaque" -> Restriction.OPAQUE;
            default -> 0;
        };
    }

    // ------------------------------------------------------------------ tokens

    /** A '{' at the end of the line opens a block: true; the end of the line instead: no block. */
    private boolean openBlock() throws DescriptionException {
        if (peek().kind() != Token.Kind.LBRACE) {
            return false;
        }
        next++;
        endOfLine("'{' (statements of a block go on their own lines)");
        return true;
    }

    /** Skips blank lines; true (and consumes it) at the block's closing '}'. */
    private boolean closeBlock() throws DescriptionException {
        while (peek().kind() == Token.Kind.NEWLINE) {
            next++;
        }
        Token t = peek();
        if (t.kind() == Token.Kind.EOF) {
            throw error(t, "unterminated block: expected '}' before the end of the file");
        }
        if (t.kind() == Token.Kind.RBRACE) {
            next++;
            return true;
        }
        return false;
    }

    private void endOfLine(String after) throws DescriptionException {
        Token t = peek();
        if (t.kind() != Token.Kind.NEWLINE) {
            throw error(t, "expected end of line after " + after + ", found " + t.describe());
        }
        next++;
    }

    private Ast.Ident ident(String what) throws DescriptionException {
        Token t = peek();
        if (t.kind() != Token.Kind.WORD) {
            throw error(t, "expected " + what + ", found " + t.describe());
        }
        next++;
        return new Ast.Ident(t.text(), t.pos());
    }

    private Ast.Num number(String what) throws DescriptionException {
        Token t = expect(Token.Kind.NUMBER, what);
        return new Ast.Num(t.value(), t.pos());
    }

    private Token expect(Token.Kind kind, String what) throws DescriptionException {
        Token t = peek();
        if (t.kind() != kind) {
            throw error(t, "expected " + what + ", found " + t.describe());
        }
        next++;
        return t;
    }

    private Token peek() {
        return tokens.get(next);
    }

    /** The next token; never moves past EOF (the grammar's loops all stop there). */
    private Token take() {
        Token t = tokens.get(next);
        if (t.kind() != Token.Kind.EOF) {
            next++;
        }
        return t;
    }

    private static DescriptionException error(Token t, String message) {
        return new DescriptionException(t.pos(), message);
    }
}
