package org.erosim.bench.cpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.erosim.cpu.Cpu;
import org.erosim.cpu.Interpreter;
import org.erosim.cpu.Reg;
import org.erosim.mmu.PhysicalMemory;

/**
 * A bare IA-32 machine that the host puts straight into 32-bit flat protected mode at ring 0
 * with 4 KiB paging on, running one guest program from {@code guest/NAME.bin} on the
 * classpath (built from {@code bench/src/main/guest/NAME.S}). No firmware, no devices, no
 * IDT: a guest that faults triple-faults, and {@link #run} reports it instead of measuring it.
 *
 * <pre>
 *  physical                                 linear
 *  0x0000_1000  GDT: null, code 0x08,       0 .. 4 MiB              identity (everything
 *               data 0x10 (flat, 4 GiB)                             but the data array)
 *  0x0000_2000  page directory              0x4000_0000 .. + size   the data array
 *  0x0000_3000  page table of the low 4 MiB
 *  0x0001_0000  guest code (the programs' org)
 *  0x0009_0000  initial ESP (the stack grows down)
 *  0x0010_0000  page tables of the array (one per 4 MiB, at most 64)
 *  0x0040_0000  array frames, in an order scattered by a fixed permutation
 * </pre>
 *
 * <p>The array's linear pages map to frames {@code (page * 1597) mod pages}: a bijection for
 * a power-of-two page count, so consecutive linear pages land on scattered host memory as
 * they would in a real system, and every page walk is a genuine translation.
 */
final class GuestMachine implements AutoCloseable {
    /** Where the guest programs are linked ("# org:" in the .S files). */
    static final int CODE_BASE = 0x10000;
    /** Linear base of the data array. */
    static final int ARRAY_BASE = 0x4000_0000;
    /** The array's page tables fit between 1 MiB and the end of the low 4 MiB. */
    static final int MAX_ARRAY_PAGES = 64 * 1024;

    private static final int GDT = 0x1000;
    private static final int PAGE_DIRECTORY = 0x2000;
    private static final int LOW_PAGE_TABLE = 0x3000;
    private static final int ARRAY_PAGE_TABLES = 0x10_0000;
    private static final int STACK_TOP = 0x9_0000;
    private static final long LOW_MAP = 4L << 20;
    private static final int FRAME_PERMUTATION = 1597;
    /** Present | writable, supervisor. */
    private static final int PTE_FLAGS = 0x3;
    private static final int CODE_SELECTOR = 0x08;
    private static final int DATA_SELECTOR = 0x10;
    /** Descriptor-cache rights: access byte 0x9B/0x93 plus D/B (0x4000) and G (0x8000). */
    private static final int CODE_ATTR = 0xC09B;
    private static final int DATA_ATTR = 0xC093;

    private final String program;
    private final PhysicalMemory mem;
    private final Cpu cpu;
    private final Interpreter interpreter;

    /**
     * Loads {@code program} and makes the machine ready to run it from its first byte with an
     * {@code arrayPages}-page data array (0 for none; else a power of two up to
     * {@link #MAX_ARRAY_PAGES}) mapped at {@link #ARRAY_BASE}.
     */
    GuestMachine(String program, int arrayPages) {
        if (arrayPages < 0 || arrayPages > MAX_ARRAY_PAGES || Integer.bitCount(arrayPages) > 1) {
            throw new IllegalArgumentException("array pages must be 0 or a power of two <= "
                + MAX_ARRAY_PAGES + ", got " + arrayPages);
        }
        this.program = program;
        this.mem = new PhysicalMemory(LOW_MAP + ((long) arrayPages << PhysicalMemory.PAGE_SHIFT));
        this.cpu = new Cpu(mem);
        this.interpreter = new Interpreter(cpu);
        byte[] code = loadProgram(program);
        mem.writeBytes(CODE_BASE, code, 0, code.length);
        writeFlatGdt();
        writePageTables(arrayPages);
        enterProtectedModeWithPaging();
    }

    Cpu cpu() {
        return cpu;
    }

    /**
     * Runs exactly {@code instructions} instructions. The guest programs never end, so
     * anything but a spent budget means the guest crashed; a benchmark must not go on timing
     * a halted machine.
     */
    void run(long instructions) {
        Interpreter.Stop stop = interpreter.run(instructions);
        if (stop != Interpreter.Stop.BUDGET) {
            throw new IllegalStateException("guest " + program + " stopped (" + stop + ", "
                + cpu.shutdownReason + ")\n" + cpu);
        }
    }

    @Override
    public void close() {
        mem.close();
    }

    private static byte[] loadProgram(String program) {
        String resource = "/guest/" + program + ".bin";
        try (InputStream in = GuestMachine.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath (built by bench/src/main/guest/build.sh)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }

    /** Null, flat code and flat data descriptors: base 0, limit 4 GiB, DPL 0, 32-bit, accessed. */
    private void writeFlatGdt() {
        writeDescriptor(CODE_SELECTOR, 0x00CF9B00, 0x0000FFFF);
        writeDescriptor(DATA_SELECTOR, 0x00CF9300, 0x0000FFFF);
        cpu.gdtBase = GDT;
        cpu.gdtLimit = 3 * 8 - 1;
    }

    private void writeDescriptor(int selector, int high, int low) {
        mem.write32(GDT + selector, low);
        mem.write32(GDT + selector + 4, high);
    }

    private void writePageTables(int arrayPages) {
        mem.write32(PAGE_DIRECTORY, LOW_PAGE_TABLE | PTE_FLAGS);
        for (int page = 0; page < LOW_MAP >>> PhysicalMemory.PAGE_SHIFT; page++) {
            mem.write32(LOW_PAGE_TABLE + 4L * page, (page << PhysicalMemory.PAGE_SHIFT) | PTE_FLAGS);
        }
        int pdeIndex = ARRAY_BASE >>> 22;
        for (int table = 0; table * 1024 < arrayPages; table++) {
            int pt = ARRAY_PAGE_TABLES + (table << PhysicalMemory.PAGE_SHIFT);
            mem.write32(PAGE_DIRECTORY + 4L * (pdeIndex + table), pt | PTE_FLAGS);
        }
        for (int page = 0; page < arrayPages; page++) {
            long frame = LOW_MAP + ((long) ((page * FRAME_PERMUTATION) & (arrayPages - 1)) << PhysicalMemory.PAGE_SHIFT);
            mem.write32(ARRAY_PAGE_TABLES + 4L * page, (int) frame | PTE_FLAGS);
        }
    }

    /**
     * Loads the state a boot loader would leave after LGDT, MOV CR3, MOV CR0 (PE|PG) and a
     * far jump to the flat code segment; the guest starts at its first instruction.
     */
    private void enterProtectedModeWithPaging() {
        cpu.setCr3(PAGE_DIRECTORY);
        cpu.setCr0(Cpu.CR0_ET | Cpu.CR0_PE | Cpu.CR0_PG);
        // CR0.PE first: the descriptor caches derive 32-bit code and stack from the mode
        cpu.setSegmentCache(Reg.CS, CODE_SELECTOR, 0, -1, CODE_ATTR);
        for (int s : new int[] {Reg.ES, Reg.SS, Reg.DS, Reg.FS, Reg.GS}) {
            cpu.setSegmentCache(s, DATA_SELECTOR, 0, -1, DATA_ATTR);
        }
        cpu.r[Reg.ESP] = STACK_TOP;
        cpu.eip = CODE_BASE;
    }
}
