package org.erosim.tools.conformance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.erosim.cpu.Cpu;
import org.erosim.cpu.Interrupts;
import org.erosim.cpu.TrapHook;
import org.erosim.cpu.decode.Decoded;
import org.erosim.cpu.decode.Decoder;
import org.erosim.cpu.decode.Kind;
import org.erosim.cpu.decode.OpDef;
import org.erosim.cpu.Flags;
import org.erosim.cpu.Interpreter;
import org.erosim.cpu.Reg;
import org.erosim.mmu.PhysicalMemory;

/**
 * Runs single-step conformance tests (MOO files) on the erosim CPU: loads each test's initial
 * state, executes until the HLT that follows the instruction, and compares registers, flags
 * and memory with the recorded final state.
 *
 * <p>Masks applied, and only these: the suite's own undefined-flags mask per opcode, the
 * revocation list, and the named 286-versus-386 differences of {@link Difference}
 * (documented in docs/conformance.md).
 */
public final class ConformanceRunner implements AutoCloseable {
    /** One register, flag or memory byte that differs. */
    public record Mismatch(String what, long expected, long actual) {
        @Override
        public String toString() {
            return String.format("%s expected %x actual %x", what, expected, actual);
        }
    }

    /** A failing test. */
    public record TestFailure(String file, int index, String name, String bytes, List<Mismatch> mismatches,
        String note) {
    }

    /** Results for one file. */
    public static final class FileResult {
        public final String file;
        public int passed;
        public int failed;
        public int revoked;
        /** Tests that pass only because of a named 286/386 difference, by difference. */
        public final java.util.EnumMap<Difference, Integer> masked = new java.util.EnumMap<>(Difference.class);

        public int maskedTotal() {
            int n = 0;
            for (int v : masked.values()) {
                n += v;
            }
            return n;
        }
        public final List<TestFailure> failures = new ArrayList<>();

        FileResult(String file) {
            this.file = file;
        }
    }

    private static final long RAM = 16L << 20;
    private static final int[] GPR16 = {Reg.EAX, Reg.EBX, Reg.ECX, Reg.EDX};
    private static final int[] SEG16 = {Reg.CS, Reg.SS, Reg.DS, Reg.ES};
    private static final int[] PTR16 = {Reg.ESP, Reg.EBP, Reg.ESI, Reg.EDI};
    private static final int[] GPR32 = {Reg.EAX, Reg.EBX, Reg.ECX, Reg.EDX, Reg.ESI, Reg.EDI, Reg.EBP, Reg.ESP};
    private static final int[] SEG32 = {Reg.CS, Reg.DS, Reg.ES, Reg.FS, Reg.GS, Reg.SS};
    private static final int MAX_INSTRUCTIONS = 256;

    private final PhysicalMemory mem;
    private final Cpu cpu;
    private final Interpreter interp;
    private int dirtyCount;
    private int[] dirty = new int[256];

    private final Decoder decoder = new Decoder();
    private final Decoded decoded = new Decoded();
    /** First exception our CPU raised in the current test (-1: none) and where. */
    private int firstVector;
    private int firstEip;
    private int referenceVector;
    /** For LENGTH_LIMIT: the encoding is undefined on this CPU, so #UD is the right outcome. */
    private boolean expectUd;
    private boolean inHook;
    private boolean translatedSs;

    public ConformanceRunner() {
        mem = new PhysicalMemory(RAM);
        cpu = new Cpu(mem);
        interp = new Interpreter(cpu);
        cpu.trapHook = new Recorder();
    }

    /**
     * Records the first exception, and reports a stack-segment overrun as interrupt 13 when
     * the 80286 reference did so ({@link Difference#SS_OVERRUN_VECTOR}).
     */
    private final class Recorder implements TrapHook {
        @Override
        public boolean trap(Cpu c, int vector, int errorCode, boolean hasErrorCode, boolean software) {
            if (inHook || software) {
                return false;
            }
            if (firstVector < 0) {
                firstVector = vector;
                firstEip = c.eip;
            }
            if (vector == 12 && referenceVector == 13 && !c.protectedMode()) {
                translatedSs = true;
                inHook = true;
                try {
                    Interrupts.exception(c, 13, 0, true);
                } finally {
                    inHook = false;
                }
                return true;
            }
            return false;
        }
    }

    public FileResult runFile(Path path) throws IOException, MooFormatException {
        MooReader.MooFile f = MooReader.read(path);
        Path dir = path.toAbsolutePath().getParent();
        SuiteMetadata meta = dir == null ? SuiteMetadata.NONE : SuiteMetadata.forDirectory(dir);
        return run(path.getFileName().toString(), f, meta);
    }

    public FileResult run(String label, MooReader.MooFile f, SuiteMetadata meta) {
        FileResult r = new FileResult(label);
        int[] key = opcodeKey(label, f);
        int flagsMask = meta.flagsMask(key[0], key[1]);
        boolean is286 = f.cpu.startsWith("C286") || f.cpu.startsWith("286");
        List<Mismatch> diffs = new ArrayList<>();
        for (MooTest t : f.tests) {
            if (meta.isRevoked(t.hash)) {
                r.revoked++;
                continue;
            }
            diffs.clear();
            Difference[] used = new Difference[1];
            String note = runTest(t, flagsMask, is286, diffs, used);
            if (diffs.isEmpty() && note == null) {
                if (used[0] != null) {
                    r.masked.merge(used[0], 1, Integer::sum);
                } else {
                    r.passed++;
                }
            } else {
                r.failed++;
                r.failures.add(new TestFailure(label, t.index, t.name, HexFormat.of().formatHex(t.bytes),
                    List.copyOf(diffs), note));
            }
        }
        return r;
    }

    private static final java.util.regex.Pattern NAME =
        java.util.regex.Pattern.compile("^([0-9A-Fa-f]{2})(?:\\.([0-7]))?\\.(?:MOO|moo).*");

    /**
     * Opcode and group extension of a file. The suite names group files {@code XX.N.MOO.gz};
     * the file name is preferred because the META chunk of the 286 set records extension 0
     * for every group file.
     */
    static int[] opcodeKey(String fileName, MooReader.MooFile f) {
        java.util.regex.Matcher m = NAME.matcher(fileName);
        if (m.matches()) {
            return new int[] {Integer.parseInt(m.group(1), 16), m.group(2) != null ? Integer.parseInt(m.group(2)) : -1};
        }
        return new int[] {f.opcode, f.groupExtension};
    }

    /**
     * Runs one test; fills {@code diffs}; returns a note if it could not complete. When a
     * named difference explains the outcome, {@code used[0]} names it and only what that
     * difference leaves comparable is compared.
     */
    String runTest(MooTest t, int flagsMask, boolean is286, List<Mismatch> diffs, Difference[] used) {
        clearDirty();
        firstVector = -1;
        translatedSs = false;
        expectUd = false;
        referenceVector = t.exceptionVector;

        MooTest.State in = t.initial;
        cpu.reset();
        cpu.setCr0(Cpu.CR0_ET);
        if (in.regs32) {
            load32(in);
        } else {
            load16(in, is286);
        }
        for (int i = 0; i < in.ramCount; i++) {
            poke(in.ramAddr[i], in.ramValue[i]);
        }
        for (int i = 0; i < t.fin.ramCount; i++) {
            markDirty(t.fin.ramAddr[i]);
        }
        int startIp = cpu.eip;
        // decode from memory as the CPU will (the BYTS chunk can be shorter than what the
        // 286 actually fetched, e.g. for undefined encodings)
        int csBase = cpu.segBase[Reg.CS];
        Decoded d = decoder.decode(k -> mem.read8((csBase + ((startIp + k) & 0xFFFF)) & 0xFFFFFFFFL), false, decoded);
        int length = d.length;
        Interpreter.Stop stop = interp.run(MAX_INSTRUCTIONS);
        if (is286) {
            Difference diff = classify(t, d, length, startIp);
            if (diff != null && diff.checkOnlyOurOutcome) {
                String bad = diff.verify(this, startIp, stop);
                if (bad != null) {
                    return diff + ": " + bad;
                }
                used[0] = diff;
                return null;
            }
            used[0] = diff;
        }
        if (translatedSs && used[0] == null) {
            used[0] = Difference.SS_OVERRUN_VECTOR;
        }
        if (stop != Interpreter.Stop.HALTED) {
            return "did not reach the final HLT (" + stop + (cpu.shutdownReason != null ? ": " + cpu.shutdownReason : "")
                + ")";
        }
        if (in.regs32) {
            compare32(t, diffs);
        } else {
            compare16(t, flagsMask, is286, diffs, used[0]);
        }
        compareRam(t, flagsMask, is286, diffs, used[0]);
        return null;
    }

    /** True if the IDIV of this test has a quotient out of range (it must raise #DE). */
    private static boolean idivOverflows(MooTest t, Decoded d) {
        int[] v = t.initial.regs;
        int ax = v[0];
        int dx = v[3];
        int divisor;
        if (d.mem) {
            return false; // only register forms occur in the reference data
        }
        int[] order = {0, 2, 3, 1}; // file order ax,bx,cx,dx <- encoding order ax,cx,dx,bx
        boolean byteOp = d.opcode == 0xF6;
        int rm = d.rm;
        if (byteOp) {
            int reg16 = v[order[rm & 3]];
            divisor = (byte) (rm < 4 ? reg16 : reg16 >>> 8);
            int q = (short) ax / divisor;
            return divisor != 0 && q != (byte) q;
        }
        int[] regs16 = {v[0], v[2], v[3], v[1], v[8], v[9], v[10], v[11]};
        divisor = (short) regs16[rm];
        long n = ((long) (short) dx << 16) | (ax & 0xFFFF);
        long q = divisor == 0 ? 0 : n / divisor;
        return divisor != 0 && q != (short) q;
    }

    /** The named difference that applies to this test, or null. */
    private Difference classify(MooTest t, Decoded d, int length, int startIp) {
        int ref = t.exceptionVector;
        int op = d.opcode;
        if (d.lock && !(d.def.has(OpDef.LOCKABLE) && d.mem)) {
            return Difference.LOCK_PREFIX;
        }
        if (length > 10 && ref == 13) {
            expectUd = d.def.has(OpDef.INVALID);
            return Difference.LENGTH_LIMIT;
        }
        if (op == 0xF6 || op == 0xF7) {
            if (d.reg == 7 && ref < 0 && idivOverflows(t, d)) {
                return Difference.IDIV_OVERFLOW;
            }
        }
        if ((op == 0x8C || op == 0x8E) && (d.reg == 4 || d.reg == 5) && ref == 6) {
            return Difference.NO_FS_GS;
        }
        if (op == 0x8F && d.mem && ref == 13) {
            return Difference.POP_MEM_OVERRUN;
        }
        if (d.def.kind == Kind.STRING && (ref == 13 || ref == 12)) {
            return Difference.STRING_OVERRUN_POINTERS;
        }
        if (op == 0xD4 && (t.bytes.length > 1 && t.bytes[1] == 0) && ref == 0) {
            return Difference.AAM_ZERO_FLAGS;
        }
        return null;
    }

    private void load16(MooTest.State s, boolean is286) {
        int[] v = s.regs;
        for (int i = 0; i < 4; i++) {
            cpu.r[GPR16[i]] = v[i] & 0xFFFF;
            cpu.loadSegmentReal(SEG16[i], v[4 + i]);
            cpu.r[PTR16[i]] = v[8 + i] & 0xFFFF;
        }
        cpu.loadSegmentReal(Reg.FS, 0);
        cpu.loadSegmentReal(Reg.GS, 0);
        cpu.eip = v[12] & 0xFFFF;
        int flags = v[13] & 0xFFFF;
        if (is286) {
            flags &= 0x0FFF; // Difference.FLAGS_12_15: a 286 in real mode keeps them clear
        }
        cpu.setEflags(flags, 0xFFFFFFFF);
    }

    private void load32(MooTest.State s) {
        int[] v = s.regs;
        cpu.setCr0((v[0] & ~(Cpu.CR0_PE | Cpu.CR0_PG)) & (Cpu.CR0_MP | Cpu.CR0_EM | Cpu.CR0_TS | Cpu.CR0_ET
            | Cpu.CR0_NE | Cpu.CR0_WP | Cpu.CR0_AM));
        for (int i = 0; i < 8; i++) {
            cpu.r[GPR32[i]] = v[2 + i];
        }
        for (int i = 0; i < 6; i++) {
            cpu.loadSegmentReal(SEG32[i], v[10 + i]);
        }
        cpu.eip = v[16];
        cpu.setEflags(v[17] & Difference.EFLAGS_386_BITS, 0xFFFFFFFF);
    }

    private void compare16(MooTest t, int flagsMask, boolean is286, List<Mismatch> diffs, Difference used) {
        int[] actual = new int[14];
        for (int i = 0; i < 4; i++) {
            actual[i] = cpu.r[GPR16[i]] & 0xFFFF;
            actual[4 + i] = cpu.sel[SEG16[i]];
            actual[8 + i] = cpu.r[PTR16[i]] & 0xFFFF;
        }
        actual[12] = cpu.eip & 0xFFFF;
        actual[13] = cpu.eflags() & 0xFFFF;
        for (int i = 0; i < 14; i++) {
            int expected = t.fin.has(i) ? t.fin.regs[i] : t.initial.regs[i];
            int mask = 0xFFFF;
            if (i == 13) {
                mask = flagsMask & 0xFFFF;
                if (is286) {
                    mask &= ~Difference.FLAGS_12_15_MASK;
                }
            }
            if (t.fin.regAndMask != null) {
                mask &= t.fin.regAndMask[i];
            }
            if (i == 13 && used == Difference.AAM_ZERO_FLAGS) {
                mask &= ~(Flags.SF | Flags.ZF | Flags.PF);
            }
            if (used == Difference.STRING_OVERRUN_POINTERS && (i == 2 || i == 10 || i == 11)) {
                mask = 0; // CX, SI, DI: the 286 advanced them before faulting
            }
            if ((expected & mask) != (actual[i] & mask)) {
                diffs.add(new Mismatch(MooTest.REG16_NAMES[i], expected & mask, actual[i] & mask));
            }
        }
    }

    private void compare32(MooTest t, List<Mismatch> diffs) {
        int[] actual = new int[20];
        actual[0] = cpu.cr0;
        actual[1] = cpu.cr3;
        for (int i = 0; i < 8; i++) {
            actual[2 + i] = cpu.r[GPR32[i]];
        }
        for (int i = 0; i < 6; i++) {
            actual[10 + i] = cpu.sel[SEG32[i]];
        }
        actual[16] = cpu.eip;
        actual[17] = cpu.eflags();
        actual[18] = cpu.dr[6];
        actual[19] = cpu.dr[7];
        for (int i = 2; i < 18; i++) { // control and debug registers are set up, not compared
            int expected = t.fin.has(i) ? t.fin.regs[i] : t.initial.regs[i];
            int mask = -1;
            if (i == 17) {
                mask = Difference.EFLAGS_386_BITS;
            }
            if (t.fin.regAndMask != null) {
                mask &= t.fin.regAndMask[i];
            }
            if ((expected & mask) != (actual[i] & mask)) {
                diffs.add(new Mismatch(MooTest.REG32_NAMES[i], expected & mask & 0xFFFFFFFFL,
                    actual[i] & mask & 0xFFFFFFFFL));
            }
        }
    }

    /**
     * Physical address of the FLAGS word an exception pushed: SS:SP+4 of the final state
     * (the frame is IP, CS, FLAGS). The EXCP chunk's address is off by one when SP is odd,
     * so it is derived from the final registers instead.
     */
    private static int exceptionFlagsAddress(MooTest t) {
        if (t.initial.regs32) {
            return t.exceptionFlagsAddress;
        }
        int ss = t.fin.has(5) ? t.fin.regs[5] : t.initial.regs[5];
        int sp = t.fin.has(8) ? t.fin.regs[8] : t.initial.regs[8];
        return (ss << 4) + ((sp + 4) & 0xFFFF);
    }

    private void compareRam(MooTest t, int flagsMask, boolean is286, List<Mismatch> diffs, Difference used) {
        int fm = flagsMask;
        if (is286) {
            fm &= ~Difference.FLAGS_12_15_MASK;
        }
        if (used == Difference.AAM_ZERO_FLAGS) {
            fm &= ~(Flags.SF | Flags.ZF | Flags.PF);
        }
        int flagsAt = t.exceptionVector >= 0 ? exceptionFlagsAddress(t) : -1;
        for (int i = 0; i < t.fin.ramCount; i++) {
            int addr = t.fin.ramAddr[i];
            int expected = t.fin.ramValue[i] & 0xFF;
            int actual = mem.read8(addr & 0xFFFFFFFFL);
            int mask = 0xFF;
            if (flagsAt >= 0) {
                if (addr == flagsAt) {
                    mask = fm & 0xFF;
                } else if (addr == ((flagsAt & ~0xFFFF) | ((flagsAt + 1) & 0xFFFF)) || addr == flagsAt + 1) {
                    mask = (fm >>> 8) & 0xFF;
                }
            }
            if ((expected & mask) != (actual & mask)) {
                diffs.add(new Mismatch(String.format("ram[%06x]", addr), expected & mask, actual & mask));
            }
        }
    }

    private void poke(int addr, byte v) {
        markDirty(addr);
        mem.write8(addr & 0xFFFFFFFFL, v);
    }

    private void markDirty(int addr) {
        if (dirtyCount == dirty.length) {
            dirty = java.util.Arrays.copyOf(dirty, dirtyCount * 2);
        }
        dirty[dirtyCount++] = addr;
    }

    /** Restores the bytes the previous test touched (and those around its stack) to zero. */
    private void clearDirty() {
        for (int i = 0; i < dirtyCount; i++) {
            mem.write8(dirty[i] & 0xFFFFFFFFL, 0);
        }
        dirtyCount = 0;
    }

    @Override
    public void close() {
        mem.close();
    }

    /**
     * Named differences between the 80286 reference and this 386-class CPU (i486/P6
     * behaviour). Each says what it changes and what is still checked; docs/conformance.md
     * gives the reasons and the counts.
     */
    public enum Difference {
        /**
         * LOCK on an instruction that cannot be locked: the 286 ignores it, a 386 or later
         * raises #UD. Checked: our CPU raises #UD at the instruction with nothing changed.
         */
        LOCK_PREFIX(true),
        /**
         * Instructions longer than 10 bytes (redundant prefixes): the 286 raises #GP, a 386
         * or later accepts up to 15. Checked: our CPU executes it without an exception.
         */
        LENGTH_LIMIT(true),
        /**
         * MOV to/from segment register 4 or 5: the 286 has no FS/GS and raises #UD; a 386
         * moves FS/GS. Checked: our CPU executes it without an exception.
         */
        NO_FS_GS(true),
        /**
         * POP m16 whose destination overruns its segment: the 286 has already incremented SP
         * when it raises #GP; a 386 leaves SP unchanged (restartable). Checked: our CPU
         * raises #GP at the instruction.
         */
        POP_MEM_OVERRUN(true),
        /**
         * A string instruction whose operand overruns its segment: the 286 has already
         * advanced SI/DI (and CX under REP) when it raises the fault; a 386 leaves them at
         * the faulting element. Checked: everything except CX, SI, DI.
         */
        STRING_OVERRUN_POINTERS(false),
        /**
         * A stack-segment overrun in real mode: the 286 raises interrupt 13, a 386 #SS
         * (interrupt 12). Checked: everything, with our #SS delivered through vector 13.
         */
        SS_OVERRUN_VECTOR(false),
        /**
         * AAM 0 (#DE): the 286 has already changed SF, ZF, PF in the FLAGS image it pushes;
         * a 386 pushes the flags as they were. Checked: everything except those three bits
         * of the pushed FLAGS.
         */
        AAM_ZERO_FLAGS(false),
        /**
         * IDIV whose quotient does not fit: the 286 misses some of these overflows and
         * returns a truncated quotient; a 386 raises #DE. Checked: our CPU raises #DE at
         * the instruction (the overflow is recomputed from the initial registers).
         */
        IDIV_OVERFLOW(true);

        /**
         * FLAGS bits 12-15 (IOPL, NT, bit 15): a 286 in real mode keeps them clear; a 386 lets
         * POPF/IRET set IOPL and NT. Loaded clear, compared masked (every 286 test).
         */
        public static final int FLAGS_12_15_MASK = 0xF000;
        /**
         * The 386EX register dump shows EFLAGS bits 18-31 set; no 386 has them (they read as
         * zero), so only bits 0-17 are loaded and compared.
         */
        public static final int EFLAGS_386_BITS = 0x0003FFFF;

        /** The reference's final state is not comparable; only our own outcome is checked. */
        final boolean checkOnlyOurOutcome;

        Difference(boolean checkOnlyOurOutcome) {
            this.checkOnlyOurOutcome = checkOnlyOurOutcome;
        }

        /** Checks our outcome for the differences that replace the comparison; null if right. */
        String verify(ConformanceRunner r, int startIp, Interpreter.Stop stop) {
            switch (this) {
                case LOCK_PREFIX:
                    return r.firstVector == 6 && r.firstEip == startIp ? null
                        : "expected #UD at the instruction, got " + (r.firstVector < 0 ? "none" : "vector " + r.firstVector);
                case POP_MEM_OVERRUN:
                    return r.firstVector == 13 && r.firstEip == startIp ? null
                        : "expected #GP at the instruction, got " + (r.firstVector < 0 ? "none" : "vector " + r.firstVector);
                case IDIV_OVERFLOW:
                    return r.firstVector == 0 && r.firstEip == startIp ? null
                        : "expected #DE at the instruction, got " + (r.firstVector < 0 ? "none" : "vector " + r.firstVector);
                default:
                    if (r.expectUd) {
                        return r.firstVector == 6 && r.firstEip == startIp ? null
                            : "expected #UD (undefined encoding), got vector " + r.firstVector;
                    }
                    // the instruction itself must complete; where it transfers control to is
                    // arbitrary memory in this test, so later events are not judged
                    return (r.firstVector < 0 || r.firstEip != startIp) && r.cpu.instructions > 0 ? null
                        : "expected the instruction to complete, got vector " + r.firstVector;
            }
        }
    }

}
