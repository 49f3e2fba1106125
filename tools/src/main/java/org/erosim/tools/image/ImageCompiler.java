package org.erosim.tools.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.erosim.kernel.abi.Limits;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.image.ImageBuilder;
import org.erosim.kernel.image.ImageException;

/**
 * Turns a description into an {@link ImageBuilder} full of objects: parse, check
 * ({@link SystemChecker}), load every file (ELF programs, page contents), then create the
 * objects and fill their slots. All checking and file reading happens before the first
 * builder call, so a description either builds completely or fails with one
 * {@link DescriptionException}.
 *
 * <p>Mapping onto the builder: a page declaration is one page; node, segment and
 * red-segment declarations are one node each (a red segment gets its format key in slot
 * 31); a process is a root node plus its key-registers node; a program is a builder
 * program, instantiated once per process whose space names it — the builder shares the
 * read-only pages (and read-only subtrees) between those instances and gives each process
 * its own writable pages and stack, and a process's {@code map} statements then put keys
 * into its own instance ({@link ImageBuilder#mapSegment}, {@link ImageBuilder#mapPage}).
 * All objects are created before any slot is filled, so declarations may refer to names
 * declared later (or in files included later).
 */
public final class ImageCompiler {
    /** Refuse programs whose segments or stack would take more than this (bytes per process). */
    static final long MAX_PROGRAM_MEMORY = 64L << 20;

    /**
     * What was built: the builder (ready to {@link ImageBuilder#write}), the builder handle of
     * every declared page, node and process by name (a process's handle is its root node),
     * and counts for the summary.
     */
    public record Result(ImageBuilder builder, Map<String, Integer> handles, int processes, int programs,
        int running) {
    }

    private final SystemChecker.Checked checked;
    private final ImageBuilder b;
    private final Map<String, Integer> handles = new HashMap<>();
    private final Map<String, Integer> programHandles = new HashMap<>();
    private final Map<String, ProgramLoader.Loaded> programs = new LinkedHashMap<>();
    private final Map<String, byte[]> pageData = new HashMap<>();

    private ImageCompiler(SystemChecker.Checked checked, ImageBuilder builder) {
        this.checked = checked;
        this.b = builder;
    }

    /** Parses, checks and builds the description in {@code file}. */
    public static Result compile(Path file) throws DescriptionException {
        return compile(DescriptionParser.parse(file));
    }

    /** Checks and builds a parsed description into a new builder. */
    public static Result compile(Ast.SystemDescription d) throws DescriptionException {
        return compile(d, new ImageBuilder());
    }

    /** Checks and builds a parsed description into {@code builder} (which may already hold objects). */
    public static Result compile(Ast.SystemDescription d, ImageBuilder builder) throws DescriptionException {
        ImageCompiler c = new ImageCompiler(SystemChecker.check(d), builder);
        c.loadFiles(d);
        c.checkMapsClearOfPrograms(d);
        int processes = 0;
        int running = 0;
        for (Ast.Decl decl : d.decls()) {
            c.create(decl);
        }
        for (Ast.Decl decl : d.decls()) {
            c.fill(decl);
            if (decl instanceof Ast.ProcessDecl p) {
                processes++;
                running += p.runs() ? 1 : 0;
            }
        }
        return new Result(builder, Map.copyOf(c.handles), processes, c.programs.size(), running);
    }

    // ------------------------------------------------------------------ files

    private void loadFiles(Ast.SystemDescription d) throws DescriptionException {
        for (Ast.Decl decl : d.decls()) {
            if (decl instanceof Ast.ProgramDecl p) {
                ProgramLoader.Loaded l = ProgramLoader.load(p);
                long total = l.stackSize();
                for (ProgramLoader.Region r : l.regions()) {
                    total += r.memSize();
                }
                if (total > MAX_PROGRAM_MEMORY) {
                    throw new DescriptionException(p.pathPos(), "program '" + p.name().text() + "' needs " + total
                        + " bytes of memory per process (segments and stack), more than the limit of "
                        + MAX_PROGRAM_MEMORY + " bytes");
                }
                programs.put(p.name().text(), l);
            } else if (decl instanceof Ast.PageDecl pg && pg.data() != null) {
                pageData.put(pg.name().text(), readPage(pg));
            }
        }
    }

    /**
     * Every map of a process stays clear of its program's segments and stack (page for
     * page: map ranges are page aligned, so overlapping a segment's bytes and overlapping
     * its pages are the same). The builder would refuse such a map too, but here the
     * message can name the ELF segment and point at the map.
     */
    private void checkMapsClearOfPrograms(Ast.SystemDescription d) throws DescriptionException {
        Map<String, Ast.Decl> byName = checked.byName();
        for (Ast.Decl decl : d.decls()) {
            if (!(decl instanceof Ast.ProcessDecl p) || p.maps().isEmpty()) {
                continue;
            }
            Ast.ProgramDecl prog = (Ast.ProgramDecl) byName.get(p.space().text());
            ProgramLoader.Loaded l = programs.get(prog.name().text());
            for (Ast.MapAssign m : p.maps()) {
                long lo = m.address().value();
                long hi = lo + SystemChecker.mapSpan(m, byName);
                String what = "map " + SystemChecker.mapRange(m, byName) + " of " + SystemChecker.mapped(m, byName);
                for (ProgramLoader.Region r : l.regions()) {
                    if (lo < r.end() && r.vaddr() < hi) {
                        throw new DescriptionException(m.address().pos(), what + " overlaps segment " + r.segment()
                            + " " + range(r.vaddr(), r.end()) + " of " + prog.path() + " (program '"
                            + prog.name().text() + "')");
                    }
                }
                long stackLow = l.stackTop() - l.stackSize();
                if (lo < l.stackTop() && stackLow < hi) {
                    throw new DescriptionException(m.address().pos(), what + " overlaps the stack "
                        + range(stackLow, l.stackTop()) + " of program '" + prog.name().text() + "'");
                }
            }
        }
    }

    private static String range(long lo, long hi) {
        return "[0x" + Long.toHexString(lo) + ", 0x" + Long.toHexString(hi) + ")";
    }

    private static byte[] readPage(Ast.PageDecl pg) throws DescriptionException {
        String what = "page '" + pg.name().text() + "': " + pg.data() + ": ";
        try {
            if (Files.isDirectory(pg.data())) {
                throw new DescriptionException(pg.dataPos(), what + "is a directory");
            }
            long size = Files.size(pg.data());
            if (size > Limits.PAGE_SIZE) {
                throw new DescriptionException(pg.dataPos(), what + size + " bytes, more than a page (4096)");
            }
            return Files.readAllBytes(pg.data());
        } catch (NoSuchFileException e) {
            throw new DescriptionException(pg.dataPos(), what + "no such file");
        } catch (IOException | SecurityException e) {
            throw new DescriptionException(pg.dataPos(), what + "cannot read: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ objects

    /** Creates the objects of one declaration (no slots yet: targets may come later). */
    private void create(Ast.Decl decl) throws DescriptionException {
        try {
            String name = decl.name().text();
            if (decl instanceof Ast.PageDecl) {
                byte[] data = pageData.get(name);
                handles.put(name, data == null ? b.zeroPage() : b.page(data));
            } else if (decl instanceof Ast.NodeDecl) {
                handles.put(name, b.node());
            } else if (decl instanceof Ast.ProcessDecl) {
                handles.put(name, b.process());
            } else if (decl instanceof Ast.ProgramDecl) {
                programHandles.put(name, program(programs.get(name)));
            }
        } catch (ImageException e) {
            throw new DescriptionException(decl.name().pos(), e.getMessage());
        }
    }

    private int program(ProgramLoader.Loaded l) {
        int p = b.program(l.name());
        for (ProgramLoader.Region r : l.regions()) {
            b.addRegion(p, r.vaddr(), r.bytes(), (int) r.memSize(), r.writable());
        }
        b.stack(p, (int) l.stackSize(), l.stackTop());
        b.entry(p, (int) l.entry());
        return p;
    }

    /** Fills the slots of one declaration's objects. */
    private void fill(Ast.Decl decl) throws DescriptionException {
        Ast.Pos at = decl.name().pos();
        try {
            if (decl instanceof Ast.NodeDecl n) {
                fillNode(n);
            } else if (decl instanceof Ast.ProcessDecl p) {
                fillProcess(p);
            }
        } catch (ImageException e) {
            // the checker rules out every misuse the builder reports, except limits (object counts, sizes)
            throw new DescriptionException(at, e.getMessage());
        }
    }

    private void fillNode(Ast.NodeDecl n) throws DescriptionException {
        int node = handles.get(n.name().text());
        for (Ast.SlotAssign s : n.slots()) {
            setKey(node, (int) s.slot().value(), s.key());
        }
        if (n.kind() == Ast.NodeKind.RED_SEGMENT) {
            SystemChecker.ResolvedFormat f = SystemChecker.format(n);
            b.redSegment(node, f.initial(), f.keeper(), f.background(), f.convention(), f.height());
        }
    }

    private void fillProcess(Ast.ProcessDecl p) throws DescriptionException {
        int proc = handles.get(p.name().text());
        Ast.Decl space = checked.byName().get(p.space().text());
        if (space instanceof Ast.ProgramDecl prog) {
            b.instantiate(programHandles.get(prog.name().text()), proc);
        } else if (space instanceof Ast.PageDecl page) {
            b.setAddressSpacePage(proc, handles.get(page.name().text()), 0);
        } else {
            Ast.NodeDecl seg = (Ast.NodeDecl) space;
            b.setAddressSpace(proc, handles.get(seg.name().text()), SystemChecker.height(seg), 0);
        }
        for (Ast.MapAssign m : p.maps()) {
            map(proc, m);
        }
        if (p.entry() != null) {
            b.setEip(proc, (int) p.entry().value());
        }
        if (p.stackPointer() != null) {
            b.setEsp(proc, (int) p.stackPointer().value());
        }
        if (!p.registers().isEmpty()) {
            b.setGeneralRegisters(proc, reg(p, "eax"), reg(p, "ebx"), reg(p, "ecx"), reg(p, "edx"), reg(p, "esi"),
                reg(p, "edi"), reg(p, "ebp"));
        }
        if (p.keeper() != null) {
            setKey(proc, ProcessLayout.SLOT_KEEPER, p.keeper());
        }
        if (p.schedule() == null) {
            b.setSchedule(proc);
        } else {
            setKey(proc, ProcessLayout.SLOT_SCHEDULE, p.schedule());
        }
        int keyRegs = b.keyRegistersNode(proc);
        for (Ast.SlotAssign s : p.keyRegisters()) {
            setKey(keyRegs, (int) s.slot().value(), s.key());
        }
        b.setRunsAtBoot(proc, p.runs());
    }

    /** One map: the checker has resolved its key (page or segment) and checked where it goes. */
    private void map(int proc, Ast.MapAssign m) throws DescriptionException {
        Ast.KeyExpr k = m.key();
        int target = handles.get(k.target().text());
        long address = m.address().value();
        if (k.kind() == Ast.KeyKind.PAGE) {
            b.mapPage(proc, address, target, k.restrictions());
        } else {
            b.mapSegment(proc, address, target, SystemChecker.height((Ast.NodeDecl) checked.byName().get(
                k.target().text())), k.restrictions());
        }
    }

    private static int reg(Ast.ProcessDecl p, String name) {
        Ast.Num n = p.registers().get(name);
        return n == null ? 0 : (int) n.value();
    }

    /** Writes one key into a slot; the checker has already resolved its target and kind. */
    private void setKey(int node, int slot, Ast.KeyExpr k) throws DescriptionException {
        Integer target = k.target() == null ? null : handles.get(k.target().text());
        switch (k.kind()) {
            case VOID -> b.setVoid(node, slot);
            case NUMBER -> b.setNumberKey(node, slot, (int) k.words()[0], (int) k.words()[1], (int) k.words()[2]);
            case START -> b.setStartKey(node, slot, target, k.badge());
            case PROCESS -> b.setProcessKey(node, slot, target);
            case NODE -> b.setNodeKey(node, slot, target, k.restrictions());
            case SEGMENT -> b.setSegmentKey(node, slot, target,
                SystemChecker.height((Ast.NodeDecl) checked.byName().get(k.target().text())), k.restrictions());
            case PAGE -> b.setPageKey(node, slot, target, k.restrictions());
            default -> b.setKernelKey(node, slot, k.kind().code);
        }
    }
}
