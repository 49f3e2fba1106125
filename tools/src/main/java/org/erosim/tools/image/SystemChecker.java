package org.erosim.tools.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.erosim.kernel.abi.Limits;
import org.erosim.kernel.abi.RedSegmentFormat;

/**
 * Resolves names and checks everything about a description that does not need its files:
 * one name space for all declarations (no duplicates), every key's target exists and is
 * of the kind the key needs, slot and key-register numbers are in range, every slot holds
 * a kind of key its role allows (memory slots of segments hold page, segment or void keys
 * of smaller height; a keeper slot holds a start key or void; ...), red segment formats
 * are consistent, every process has an address space and an entry point, and its maps hold
 * memory keys, go into a program space, are aligned and do not overlap each other.
 *
 * <p>After {@link #check} succeeds the compiler can build without further name or kind
 * errors; what is left to fail is reading files (and what needs them: whether a map is
 * clear of its program's ELF segments and stack).
 */
public final class SystemChecker {
    private static final int DEFAULT_INITIAL_SLOTS = 16;

    /** The checked system: declarations by name, in source order. */
    public record Checked(Map<String, Ast.Decl> byName) {
    }

    /** A red segment's format with defaults applied. */
    record ResolvedFormat(int initial, int keeper, int background, int convention, int height) {
    }

    private final Map<String, Ast.Decl> byName = new LinkedHashMap<>();

    private SystemChecker() {
    }

    public static Checked check(Ast.SystemDescription d) throws DescriptionException {
        SystemChecker c = new SystemChecker();
        for (Ast.Decl decl : d.decls()) {
            Ast.Decl old = c.byName.putIfAbsent(decl.name().text(), decl);
            if (old != null) {
                throw new DescriptionException(decl.name().pos(), "duplicate name '" + decl.name().text()
                    + "' (already declared as a " + old.keyword() + " at " + old.name().pos() + ")");
            }
        }
        for (Ast.Decl decl : d.decls()) {
            if (decl instanceof Ast.NodeDecl n) {
                c.checkNode(n);
            } else if (decl instanceof Ast.ProcessDecl p) {
                c.checkProcess(p);
            }
        }
        return new Checked(Map.copyOf(c.byName));
    }

    // ------------------------------------------------------------------ nodes

    private void checkNode(Ast.NodeDecl n) throws DescriptionException {
        if (n.kind() != Ast.NodeKind.NODE) {
            height(n);
        }
        ResolvedFormat f = n.kind() == Ast.NodeKind.RED_SEGMENT ? format(n) : null;
        for (Ast.SlotAssign s : n.slots()) {
            long slot = s.slot().value();
            if (slot >= Limits.SLOTS_PER_NODE) {
                throw new DescriptionException(s.slot().pos(), "slot " + slot + " out of range (0..31)");
            }
            checkKey(s.key());
            String where = "slot " + slot + " of " + n.kind().word + " '" + n.name().text() + "'";
            if (f != null && slot == RedSegmentFormat.FORMAT_SLOT) {
                throw new DescriptionException(s.slot().pos(), "slot 31 of red segment '" + n.name().text()
                    + "' holds its format key; use slots 0..30");
            }
            if (f != null && slot == f.keeper()) {
                requireKind(s.key(), where + " (its keeper slot)", "a start key or void", Ast.KeyKind.START,
                    Ast.KeyKind.VOID);
            } else if (f != null && slot == f.background()) {
                requireMemoryKey(s.key(), where + " (its background slot)", f.height());
            } else if (n.kind() == Ast.NodeKind.SEGMENT || f != null && slot < f.initial()) {
                requireMemoryKey(s.key(), where, (int) n.height().value());
            }
        }
    }

    /** The declared height of a segment or red segment: present and 1..4. */
    static int height(Ast.NodeDecl n) throws DescriptionException {
        if (n.height() == null) {
            throw new DescriptionException(n.name().pos(), n.kind().word + " '" + n.name().text()
                + "' needs a height (add a line 'height N', N = 1..4)");
        }
        long h = n.height().value();
        if (h < 1 || h > Limits.MAX_HEIGHT) {
            throw new DescriptionException(n.height().pos(), "height " + h + " out of range (1..4)");
        }
        return (int) h;
    }

    /** The format of a red segment with defaults (initial 16, keeper and background none, node-key). */
    static ResolvedFormat format(Ast.NodeDecl n) throws DescriptionException {
        Ast.Format f = n.format();
        int initial = f.initial() == null ? DEFAULT_INITIAL_SLOTS : (int) Math.min(f.initial().value(), 99);
        if (f.initial() != null && f.initial().value() > 31) {
            throw new DescriptionException(f.initial().pos(), "initial slots " + f.initial().value()
                + " out of range (0..31; slot 31 is never part of the space)");
        }
        int keeper = formatSlot(f.keeperSlot(), "keeper", initial, n);
        int background = formatSlot(f.backgroundSlot(), "background", initial, n);
        if (keeper != RedSegmentFormat.NONE && keeper == background) {
            throw new DescriptionException(f.backgroundSlot().pos(), "the keeper and background slots of red segment '"
                + n.name().text() + "' are both " + keeper);
        }
        int convention = f.convention() == null ? RedSegmentFormat.CONVENTION_NODE_KEY : (int) f.convention().value();
        return new ResolvedFormat(initial, keeper, background, convention, height(n));
    }

    private static int formatSlot(Ast.Num slot, String what, int initial, Ast.NodeDecl n)
        throws DescriptionException {
        if (slot == null || slot.value() == RedSegmentFormat.NONE) {
            return RedSegmentFormat.NONE;
        }
        long s = slot.value();
        if (s > RedSegmentFormat.NONE) {
            throw new DescriptionException(slot.pos(), what + " slot " + s + " out of range (0..30, or none)");
        }
        if (s < initial) {
            throw new DescriptionException(slot.pos(), what + " slot " + s + " is one of the initial slots (0.."
                + (initial - 1) + ") of red segment '" + n.name().text() + "'; use a slot from " + initial
                + " up or lower 'initial'");
        }
        return (int) s;
    }

    // ------------------------------------------------------------------ processes

    private void checkProcess(Ast.ProcessDecl p) throws DescriptionException {
        if (p.space() == null) {
            throw new DescriptionException(p.name().pos(), "process '" + p.name().text()
                + "' has no address space (add a line 'space NAME' naming a program, segment or page)");
        }
        Ast.Decl space = lookup(p.space(), "a program, segment, red-segment or page", Ast.ProgramDecl.class,
            Ast.NodeDecl.class, Ast.PageDecl.class);
        if (space instanceof Ast.NodeDecl n && n.kind() == Ast.NodeKind.NODE) {
            throw new DescriptionException(p.space().pos(), "'" + n.name().text()
                + "' is a node, not an address space (declare it as a segment or red-segment with a height)");
        }
        if (!(space instanceof Ast.ProgramDecl) && p.entry() == null) {
            throw new DescriptionException(p.space().pos(), "process '" + p.name().text() + "' needs an entry point: "
                + "its space '" + p.space().text() + "' is not a program (add a line 'entry ADDRESS')");
        }
        if (p.keeper() != null) {
            checkKey(p.keeper());
            requireKind(p.keeper(), "the process keeper", "a start key or void", Ast.KeyKind.START, Ast.KeyKind.VOID);
        }
        if (p.schedule() != null) {
            checkKey(p.schedule());
            requireKind(p.schedule(), "the schedule", "a sched key or void", Ast.KeyKind.SCHED, Ast.KeyKind.VOID);
        }
        checkMaps(p, space);
        for (Ast.SlotAssign s : p.keyRegisters()) {
            long r = s.slot().value();
            if (r == 0) {
                throw new DescriptionException(s.slot().pos(), "key register 0 always reads as void; use 1..31");
            }
            if (r >= Limits.SLOTS_PER_NODE) {
                throw new DescriptionException(s.slot().pos(), "key register " + r + " out of range (1..31)");
            }
            checkKey(s.key());
        }
    }

    /**
     * A process's maps: each holds a page or segment key, goes into a program space (a
     * segment or page space is shared by every process naming it, and a map changes only
     * the process's own space), stands at an address aligned to the key's span (which also
     * keeps it below 4 GiB) and overlaps no other map of the process. Whether it is clear
     * of the program's own pages needs the ELF file: {@link ImageCompiler} checks that.
     */
    private void checkMaps(Ast.ProcessDecl p, Ast.Decl space) throws DescriptionException {
        for (int i = 0; i < p.maps().size(); i++) {
            Ast.MapAssign m = p.maps().get(i);
            if (!(space instanceof Ast.ProgramDecl)) {
                throw new DescriptionException(m.at(), "'map' needs a program space: process '" + p.name().text()
                    + "' runs in " + space.keyword() + " '" + p.space().text() + "', which every process naming it "
                    + "shares" + (space instanceof Ast.NodeDecl ? " (put the key in one of its slots instead)" : ""));
            }
            checkKey(m.key());
            requireKind(m.key(), "a map", "a page or segment key (it maps memory)", Ast.KeyKind.PAGE,
                Ast.KeyKind.SEGMENT);
            long address = m.address().value();
            long span = mapSpan(m, byName);
            if (address % span != 0) {
                throw new DescriptionException(m.address().pos(), "map address 0x" + Long.toHexString(address)
                    + " is not a multiple of 0x" + Long.toHexString(span) + ", the span of " + mapped(m, byName));
            }
            for (Ast.MapAssign o : p.maps().subList(0, i)) {
                long lo = o.address().value();
                if (address < lo + mapSpan(o, byName) && lo < address + span) {
                    throw new DescriptionException(m.address().pos(), "map " + mapRange(m, byName) + " of "
                        + mapped(m, byName) + " overlaps the map " + mapRange(o, byName) + " of " + mapped(o, byName)
                        + " at " + o.at());
                }
            }
        }
    }

    /** Bytes a map's key spans: a page 4 KiB, a segment of height h 2^(12+5h). Call after {@link #check}. */
    static long mapSpan(Ast.MapAssign m, Map<String, Ast.Decl> byName) throws DescriptionException {
        if (m.key().kind() == Ast.KeyKind.PAGE) {
            return Limits.PAGE_SIZE;
        }
        return 1L << (12 + 5 * height((Ast.NodeDecl) byName.get(m.key().target().text())));
    }

    /** "[0x..., 0x...)": the addresses a map covers. */
    static String mapRange(Ast.MapAssign m, Map<String, Ast.Decl> byName) throws DescriptionException {
        long lo = m.address().value();
        return "[0x" + Long.toHexString(lo) + ", 0x" + Long.toHexString(lo + mapSpan(m, byName)) + ")";
    }

    /** What a map maps, for messages: "page 'buf'" or "segment 'w' (height 2)". */
    static String mapped(Ast.MapAssign m, Map<String, Ast.Decl> byName) throws DescriptionException {
        String name = m.key().target().text();
        if (m.key().kind() == Ast.KeyKind.PAGE) {
            return "page '" + name + "'";
        }
        return "segment '" + name + "' (height " + height((Ast.NodeDecl) byName.get(name)) + ")";
    }

    // ------------------------------------------------------------------ keys

    private void checkKey(Ast.KeyExpr k) throws DescriptionException {
        switch (k.kind()) {
            case START, PROCESS -> lookup(k.target(), "a process", Ast.ProcessDecl.class);
            case PAGE -> lookup(k.target(), "a page", Ast.PageDecl.class);
            case NODE -> lookup(k.target(), "a node, segment or red-segment", Ast.NodeDecl.class);
            case SEGMENT -> {
                Ast.NodeDecl n = (Ast.NodeDecl) lookup(k.target(), "a segment or red-segment", Ast.NodeDecl.class);
                if (n.kind() == Ast.NodeKind.NODE) {
                    throw new DescriptionException(k.target().pos(), "'" + n.name().text()
                        + "' is a node without a height; a segment key needs a segment or red-segment");
                }
            }
            default -> {
            }
        }
    }

    private static void requireKind(Ast.KeyExpr k, String where, String what, Ast.KeyKind... allowed)
        throws DescriptionException {
        for (Ast.KeyKind a : allowed) {
            if (k.kind() == a) {
                return;
            }
        }
        throw new DescriptionException(k.pos(), where + " must hold " + what + ", not a " + k.kind().word() + " key");
    }

    /** Memory slots map addresses: page, segment (of smaller height) or void. */
    private void requireMemoryKey(Ast.KeyExpr k, String where, int height) throws DescriptionException {
        requireKind(k, where, "a page, segment or void key (it maps memory)", Ast.KeyKind.PAGE, Ast.KeyKind.SEGMENT,
            Ast.KeyKind.VOID);
        if (k.kind() == Ast.KeyKind.SEGMENT) {
            Ast.NodeDecl n = (Ast.NodeDecl) byName.get(k.target().text());
            int h = height(n);
            if (h >= height) {
                throw new DescriptionException(k.pos(), where + " is in a node of height " + height
                    + ", so it holds segments of height below " + height + ", but '" + n.name().text()
                    + "' has height " + h);
            }
        }
    }

    /** The declaration {@code name} refers to, which must be one of {@code types}. */
    @SafeVarargs
    private Ast.Decl lookup(Ast.Ident name, String what, Class<? extends Ast.Decl>... types)
        throws DescriptionException {
        Ast.Decl d = byName.get(name.text());
        if (d == null) {
            List<String> fitting = new ArrayList<>();
            for (Ast.Decl c : byName.values()) {
                for (Class<? extends Ast.Decl> t : types) {
                    if (t.isInstance(c)) {
                        fitting.add(c.name().text());
                    }
                }
            }
            String hint = Names.suggestion(name.text(), fitting);
            if (hint.isEmpty()) {
                hint = Names.suggestion(name.text(), byName.keySet());
            }
            throw new DescriptionException(name.pos(), "unknown name '" + name.text() + "'" + hint);
        }
        for (Class<? extends Ast.Decl> t : types) {
            if (t.isInstance(d)) {
                return d;
            }
        }
        throw new DescriptionException(name.pos(), "'" + name.text() + "' is a " + d.keyword() + " (declared at "
            + d.name().pos() + "), but " + what + " is needed here");
    }
}
