package org.erosim.tools.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.erosim.kernel.abi.KeyType;

/**
 * The parsed form of a description: declarations in source order (included files'
 * declarations where their include statement stands), every element carrying the position
 * of its text. Names are not resolved here; {@link SystemChecker} does that.
 */
public final class Ast {
    private Ast() {
    }

    /** A position: file as shown to the user, 1-based line and column. */
    public record Pos(String file, int line, int col) {
        @Override
        public String toString() {
            return file + ":" + line + ":" + col;
        }
    }

    /** A name as written, with its position. */
    public record Ident(String text, Pos pos) {
    }

    /** A number as written, with its position. */
    public record Num(long value, Pos pos) {
    }

    /** Every kind of key the language can write; {@link #code} is its {@link KeyType}. */
    public enum KeyKind {
        VOID(KeyType.VOID), NUMBER(KeyType.NUMBER), START(KeyType.START), PROCESS(KeyType.PROCESS),
        NODE(KeyType.NODE), SEGMENT(KeyType.SEGMENT), PAGE(KeyType.PAGE), CONSOLE(KeyType.CONSOLE),
        SLEEP(KeyType.SLEEP), SYSTRACE(KeyType.SYSTRACE), DISCRIM(KeyType.DISCRIM), RANGE(KeyType.RANGE),
        CHECKPOINT(KeyType.CHECKPOINT), SCHED(KeyType.SCHED);

        public final int code;

        KeyKind(int code) {
            this.code = code;
        }

        /** The keyword, which is also the key type's name ({@link KeyType#name}). */
        public String word() {
            return KeyType.name(code);
        }

        /** Keys that name a declared object (process, node, segment, page). */
        public boolean hasTarget() {
            return this == START || this == PROCESS || this == NODE || this == SEGMENT || this == PAGE;
        }

        /** Keys that take restrictions (read-only, no-call, weak, opaque). */
        public boolean takesRestrictions() {
            return this == NODE || this == SEGMENT || this == PAGE;
        }

        static KeyKind byWord(String w) {
            for (KeyKind k : values()) {
                if (k.word().equals(w)) {
                    return k;
                }
            }
            return null;
        }
    }

    /**
     * A key expression. {@code target} is set for kinds with a target; {@code words} (three
     * 32-bit words) for NUMBER; {@code badge} for START; {@code restrictions} is a set of
     * {@link org.erosim.kernel.abi.Restriction} bits.
     */
    public record KeyExpr(KeyKind kind, Pos pos, Ident target, long[] words, int badge, int restrictions) {
        static KeyExpr simple(KeyKind kind, Pos pos) {
            return new KeyExpr(kind, pos, null, null, 0, 0);
        }
    }

    /** {@code slot N = KEY} (also key registers: {@code keyreg N = KEY}). */
    public record SlotAssign(Num slot, KeyExpr key) {
    }

    /** A top-level declaration; all share one name space. */
    public sealed interface Decl permits ProgramDecl, PageDecl, NodeDecl, ProcessDecl {
        Ident name();

        /** The declaring keyword, for messages ("program", "red-segment", ...). */
        String keyword();
    }

    /**
     * {@code program NAME "file.elf" [stack SIZE] [stack-top ADDRESS]}; {@code path} is
     * resolved against the declaring file's directory.
     */
    public record ProgramDecl(Ident name, Path path, String pathText, Pos pathPos, Num stackSize, Num stackTop)
        implements Decl {
        @Override
        public String keyword() {
            return "program";
        }
    }

    /** {@code page NAME ["contents-file"]}: a zero page, or one filled from a file (at most 4096 bytes). */
    public record PageDecl(Ident name, Path data, String dataText, Pos dataPos) implements Decl {
        @Override
        public String keyword() {
            return "page";
        }
    }

    public enum NodeKind {
        NODE("node"), SEGMENT("segment"), RED_SEGMENT("red-segment");

        public final String word;

        NodeKind(String word) {
            this.word = word;
        }
    }

    /**
     * The red segment format as written; a null field takes its default (initial 16,
     * keeper none, background none, convention node-key).
     */
    public record Format(Num initial, Num keeperSlot, Num backgroundSlot, Num convention) {
    }

    /**
     * {@code node}, {@code segment} and {@code red-segment} declarations: a node with
     * slots; segments have a height (1..4), red segments also a format.
     */
    public record NodeDecl(Ident name, NodeKind kind, Num height, List<SlotAssign> slots, Format format)
        implements Decl {
        @Override
        public String keyword() {
            return kind.word;
        }
    }

    /**
     * {@code map ADDRESS = KEY} in a process: {@code at} is the position of the word
     * {@code map}. Puts a page or segment key into the process's own (program) space.
     */
    public record MapAssign(Pos at, Num address, KeyExpr key) {
    }

    /**
     * {@code process NAME { ... }}. Null fields take their defaults: entry and stack pointer
     * from the program, keeper void, schedule a sched key, not running; no maps.
     */
    public record ProcessDecl(Ident name, Ident space, Num entry, Num stackPointer, KeyExpr keeper, KeyExpr schedule,
        List<SlotAssign> keyRegisters, Map<String, Num> registers, List<MapAssign> maps, boolean runs)
        implements Decl {
        @Override
        public String keyword() {
            return "process";
        }
    }

    /** A whole description, includes expanded. */
    public record SystemDescription(String file, List<Decl> decls) {
    }
}
