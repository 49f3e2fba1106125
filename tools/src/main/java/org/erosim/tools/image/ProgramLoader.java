package org.erosim.tools.image;

import java.util.ArrayList;
import java.util.List;
import org.erosim.tools.elf.ElfException;
import org.erosim.tools.elf.ElfFile;

/**
 * Reads a program's ELF file and checks that it can become an address space: an ELF32
 * i386 executable (ET_EXEC) with at least one PT_LOAD segment, segments that do not
 * overlap each other or the stack, and an entry point inside an executable segment.
 * Errors are reported at the program statement: ELF problems at its file name, stack
 * problems at the stack option that set the offending value (or the program name when
 * the default applies).
 */
final class ProgramLoader {
    /** Default stack: 16 KiB ending at 2 GiB (ESP starts at the top). */
    static final long DEFAULT_STACK_SIZE = 16 * 1024;
    static final long DEFAULT_STACK_TOP = 0x8000_0000L;
    private static final long PAGE = 4096;

    /** One loadable segment: file bytes at vaddr, zero-filled to memSize. */
    record Region(int segment, long vaddr, byte[] bytes, long memSize, boolean writable) {
        long end() {
            return vaddr + memSize;
        }
    }

    /** A checked program, ready to hand to the image builder. */
    record Loaded(String name, long entry, List<Region> regions, long stackSize, long stackTop) {
    }

    private ProgramLoader() {
    }

    static Loaded load(Ast.ProgramDecl p) throws DescriptionException {
        ElfFile elf;
        try {
            elf = ElfFile.read(p.path());
        } catch (ElfException e) {
            throw new DescriptionException(p.pathPos(), "program '" + p.name().text() + "': " + e.getMessage());
        }
        String where = "program '" + p.name().text() + "': " + p.path() + ": ";
        if (elf.type() != ElfFile.ET_EXEC) {
            throw new DescriptionException(p.pathPos(), where + "not an executable (ELF type " + elf.type()
                + ", expected ET_EXEC = 2; link with ld -m elf_i386, not -r or -shared)");
        }
        List<Region> regions = new ArrayList<>();
        for (ElfFile.ProgramHeader h : elf.programHeaders()) {
            if (!h.isLoad() || h.memorySize() == 0) {
                continue;
            }
            Region r = new Region(h.index(), h.virtualAddress(), elf.bytes(h), h.memorySize(),
                (h.flags() & ElfFile.PF_W) != 0);
            for (Region o : regions) {
                if (r.vaddr() < o.end() && o.vaddr() < r.end()) {
                    throw new DescriptionException(p.pathPos(), where + "segments " + o.segment() + " and "
                        + r.segment() + " overlap (" + range(o.vaddr(), o.end()) + " and " + range(r.vaddr(), r.end())
                        + ")");
                }
            }
            regions.add(r);
        }
        if (regions.isEmpty()) {
            throw new DescriptionException(p.pathPos(), where + "no loadable (PT_LOAD) segment");
        }
        boolean entryOk = false;
        for (ElfFile.ProgramHeader h : elf.programHeaders()) {
            if (h.isLoad() && h.isExecutable() && elf.entry() >= h.virtualAddress()
                && elf.entry() < h.virtualAddress() + h.memorySize()) {
                entryOk = true;
            }
        }
        if (!entryOk) {
            throw new DescriptionException(p.pathPos(), where + "entry point 0x" + Long.toHexString(elf.entry())
                + " is not inside an executable segment");
        }
        return new Loaded(p.name().text(), elf.entry(), List.copyOf(regions), stackSize(p), stackTop(p, regions));
    }

    private static long stackSize(Ast.ProgramDecl p) throws DescriptionException {
        if (p.stackSize() == null) {
            return DEFAULT_STACK_SIZE;
        }
        long s = p.stackSize().value();
        if (s == 0 || s % PAGE != 0) {
            throw new DescriptionException(p.stackSize().pos(), "stack size " + s
                + " must be a positive multiple of 4096 (the stack is whole pages)");
        }
        return s;
    }

    private static long stackTop(Ast.ProgramDecl p, List<Region> regions) throws DescriptionException {
        long size = stackSize(p);
        long top = p.stackTop() == null ? DEFAULT_STACK_TOP : p.stackTop().value();
        Ast.Pos at = p.stackTop() != null ? p.stackTop().pos() : p.stackSize() != null ? p.stackSize().pos()
            : p.name().pos();
        if (p.stackTop() != null && (top % PAGE != 0 || top == 0)) {
            throw new DescriptionException(at, "stack top 0x" + Long.toHexString(top)
                + " must be a nonzero multiple of 4096");
        }
        if (top < size) {
            throw new DescriptionException(at, "a stack of " + size + " bytes does not fit below top 0x"
                + Long.toHexString(top));
        }
        for (Region r : regions) {
            if (top - size < r.end() && r.vaddr() < top) {
                throw new DescriptionException(at, "program '" + p.name().text() + "': the stack "
                    + range(top - size, top) + " overlaps segment " + r.segment() + " " + range(r.vaddr(), r.end())
                    + " of " + p.path() + (p.stackTop() == null ? " (set another place with stack-top ADDRESS)" : ""));
            }
        }
        return top;
    }

    private static String range(long lo, long hi) {
        return "[0x" + Long.toHexString(lo) + ", 0x" + Long.toHexString(hi) + ")";
    }
}
