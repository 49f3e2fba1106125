package org.erosim.cpu;

import org.erosim.cpu.decode.ByteSource;
import org.erosim.cpu.decode.Decoded;
import org.erosim.cpu.decode.Decoder;
import org.erosim.cpu.decode.OpDef;
import org.erosim.mmu.CodeWriteListener;
import org.erosim.mmu.PhysicalMemory;
import org.erosim.mmu.Tlb;

/**
 * Pre-decoded instruction blocks, cached per physical page and invalidated when the page is
 * written (self-modifying code stays correct).
 *
 * <p>Lookup: CS base + EIP is translated through the TLB (as an instruction fetch at the
 * current privilege) to a physical address; the page's {@link CodePage} holds at most one
 * block per byte offset. A block decoded for a different CS base, limit or default size at
 * the same place is replaced.
 *
 * <p>Invariants: every page with a {@link CodePage} is marked as code in
 * {@link PhysicalMemory}, so writes to it reach {@link #codeWritten}; a write that overlaps
 * any decoded instruction byte drops the whole page. Instructions that straddle a page
 * boundary, and code outside RAM/ROM, are decoded on every execution and never cached.
 *
 * <p>Bound: the cache holds at most {@link #MAX_PAGES} pages and about {@link #MAX_INSNS}
 * instructions (a guest can decode a block at every byte of every page, which would
 * otherwise exhaust the host heap); a lookup that finds either reached drops the whole cache
 * first, as QEMU flushes a full translation buffer, and the working set is decoded again.
 */
public final class CodeCache implements CodeWriteListener {
    static final int MAX_BLOCK = 32;
    /** About 35 MB of {@link CodePage}s. */
    static final int MAX_PAGES = 2048;
    /** About 25 MB of decoded instructions. */
    static final int MAX_INSNS = 1 << 18;
    private static final long HIGH_WINDOW = (1L << 32) - (16L << 20);

    private final Cpu c;
    private final CodePage[] lowPages;
    private final CodePage[] highPages = new CodePage[(16 << 20) >>> 12];
    final BlockCompiler compiler = new BlockCompiler();
    /**
     * Jump cache: the block last found for a linear address, valid while both epochs it was
     * stamped with are current (no translation, CS, CPL, mode or code change since). It
     * catches indirect transfers (RET, JMP r/m) that a block's two links miss, without the
     * TLB and code-page walk.
     */
    private static final int JUMP_CACHE = 4096;
    private final Block[] jumpCache = new Block[JUMP_CACHE];
    private final long[] jumpTlbEpoch = new long[JUMP_CACHE];
    private final long[] jumpCodeEpoch = new long[JUMP_CACHE];
    private final Decoder decoder = new Decoder();
    private final Decoded decoded = new Decoded();
    private final Insn[] scratch = new Insn[MAX_BLOCK];
    private final PageSource pageSource = new PageSource();
    private final LinearSource linearSource = new LinearSource();
    private long blocksDecoded;
    private long invalidations;
    /** Pages with a {@link CodePage}, and instructions in their blocks (see the bound above). */
    private int cachedPages;
    private int cachedInsns;

    /** Decoded blocks of one physical page, by page offset, and which bytes they cover. */
    static final class CodePage {
        final Block[] blocks = new Block[PhysicalMemory.PAGE_SIZE];
        final long[] covered = new long[PhysicalMemory.PAGE_SIZE / 64];
        /** Instructions in {@link #blocks}. */
        int insns;
    }

    CodeCache(Cpu c) {
        this.c = c;
        long span = Math.max(c.mem.ramSize(), 1L << 20);
        this.lowPages = new CodePage[(int) (span >>> 12)];
    }

    public long blocksDecoded() {
        return blocksDecoded;
    }

    public long invalidations() {
        return invalidations;
    }

    /**
     * Executions of a block before it is translated to bytecode: 1 compiles every block on
     * its first run, 0 never compiles (tests compare the two paths).
     */
    public void setCompileThreshold(int executions) {
        compiler.threshold = executions;
    }

    /** Blocks translated to bytecode so far. */
    public int compiledBlocks() {
        return compiler.compiledCount();
    }

    /** Pages that hold decoded blocks now. */
    public int cachedPages() {
        return cachedPages;
    }

    /** Instructions in the decoded blocks held now. */
    public int cachedInstructions() {
        return cachedInsns;
    }

    /** Drops every decoded block (e.g. after the host rewrote memory wholesale). */
    public void clear() {
        c.codeEpoch++;
        for (int i = 0; i < lowPages.length; i++) {
            if (lowPages[i] != null) {
                lowPages[i] = null;
                c.mem.clearCode((long) i << 12);
            }
        }
        java.util.Arrays.fill(highPages, null);
        cachedPages = 0;
        cachedInsns = 0;
    }

    private CodePage page(long phys, boolean create) {
        int idx;
        CodePage[] arr;
        if (phys < (long) lowPages.length << 12) {
            arr = lowPages;
            idx = (int) (phys >>> 12);
        } else if (phys >= HIGH_WINDOW) {
            arr = highPages;
            idx = (int) ((phys - HIGH_WINDOW) >>> 12);
        } else {
            return null;
        }
        CodePage p = arr[idx];
        if (p == null && create) {
            p = new CodePage();
            arr[idx] = p;
            cachedPages++;
            c.mem.markCode(phys);
            c.mmu.tlb.flushWrites(); // no fast write may reach a code page
        }
        return p;
    }

    /**
     * The block to execute at CS:EIP. Raises #PF or #GP for a fetch that faults, exactly
     * when the first instruction's bytes are needed.
     */
    Block lookup() {
        Cpu c = this.c;
        int eip = c.eip;
        int csBase = c.segBase[Reg.CS];
        int lin = csBase + eip;
        int h = (lin ^ (lin >>> 12) ^ c.tlbSalt) & (JUMP_CACHE - 1); // salted: spaces sharing a layout do not collide
        Block cached = jumpCache[h];
        if (cached != null && cached.eip == eip && cached.csBase == csBase && jumpTlbEpoch[h] == c.tlb.epoch
            && jumpCodeEpoch[h] == c.codeEpoch) {
            return cached;
        }
        Block b = lookupInPage(eip, csBase, lin);
        if (!b.uncached) {
            jumpCache[h] = b;
            jumpTlbEpoch[h] = c.tlb.epoch;
            jumpCodeEpoch[h] = c.codeEpoch;
        }
        return b;
    }

    /** The full lookup: translate CS:EIP, find or decode the block in its code page. */
    private Block lookupInPage(int eip, int csBase, int lin) {
        Cpu c = this.c;
        int set = c.fetchSet();
        int i = (((lin >>> 12) ^ c.tlbSalt) & Tlb.MASK) + set;
        long phys;
        if (c.tlbRead[i] == (c.tlb.readGen | (lin & 0xFFFFF000L))) {
            phys = (c.tlbPhys[i] & 0xFFFFFFFFL) | (lin & 0xFFF);
        } else {
            if (Integer.compareUnsigned(eip, c.segLimit[Reg.CS]) > 0) {
                throw c.gp(0);
            }
            phys = c.translateFetch(lin, set != 0);
            if (c.tlbRead[i] != (c.tlb.readGen | (lin & 0xFFFFF000L))) {
                return decodeUncached(); // MMIO or open bus
            }
        }
        if (cachedPages >= MAX_PAGES || cachedInsns >= MAX_INSNS) {
            clear(); // the block decoded next may overshoot by at most MAX_BLOCK instructions
        }
        CodePage p = page(phys, true);
        if (p == null) {
            return decodeUncached();
        }
        int off = (int) (phys & 0xFFF);
        Block b = p.blocks[off];
        if (b != null && b.eip == eip && b.csBase == csBase && b.code32 == c.code32
            && b.csLimit == c.segLimit[Reg.CS]) {
            return b;
        }
        Block old = p.blocks[off];
        b = decodeBlock(p, phys, eip, csBase);
        if (!b.uncached) { // a straddling instruction is decoded afresh every time
            int delta = b.insns.length - (old != null ? old.insns.length : 0);
            p.blocks[off] = b;
            p.insns += delta;
            cachedInsns += delta;
        }
        return b;
    }

    private Block decodeBlock(CodePage p, long phys, int eip, int csBase) {
        Cpu c = this.c;
        boolean code32 = c.code32;
        int limit = c.segLimit[Reg.CS];
        int n = 0;
        int cur = eip;
        long pa = phys;
        while (n < MAX_BLOCK) {
            pageSource.set(pa, cur, limit);
            Decoded d = decoder.decode(pageSource, code32, decoded);
            if (d.error == Decoded.ERR_TRUNCATED) {
                if (n == 0) {
                    // straddles the page end or the CS limit: decode at execution time
                    return decodeUncached();
                }
                break;
            }
            Insn insn = InsnFactory.build(d, cur, code32, limit, c.cycleTable);
            scratch[n++] = insn;
            markCovered(p, (int) (pa & 0xFFF), d.length);
            blocksDecoded++;
            if (d.def.has(OpDef.BLOCK_END) || d.def.has(OpDef.SERIALIZE) || d.def.has(OpDef.INVALID)
                || d.error != 0 || insn instanceof MiscOps.Ud) {
                break;
            }
            int nextEip = insn.next;
            long nextPa = pa + d.length;
            if ((nextPa & ~0xFFFL) != (pa & ~0xFFFL) || nextEip != cur + d.length) {
                break; // next instruction starts on another page, or IP wrapped
            }
            cur = nextEip;
            pa = nextPa;
        }
        Insn[] insns = java.util.Arrays.copyOf(scratch, n);
        java.util.Arrays.fill(scratch, null);
        return new Block(eip, csBase, limit, code32, insns, false);
    }

    private static void markCovered(CodePage p, int off, int len) {
        for (int k = off; k < Math.min(off + len, PhysicalMemory.PAGE_SIZE); k++) {
            p.covered[k >>> 6] |= 1L << (k & 63);
        }
    }

    /** One instruction decoded through linear fetches (may raise #GP/#PF mid-instruction). */
    private Block decodeUncached() {
        Cpu c = this.c;
        linearSource.set(c.segBase[Reg.CS], c.eip, c.segLimit[Reg.CS], c.code32);
        Decoded d = decoder.decode(linearSource, c.code32, decoded);
        Insn insn = InsnFactory.build(d, c.eip, c.code32, c.segLimit[Reg.CS], c.cycleTable);
        return new Block(c.eip, c.segBase[Reg.CS], c.segLimit[Reg.CS], c.code32, new Insn[] {insn}, true);
    }

    @Override
    public void codeWritten(long pa, int length) {
        CodePage p = page(pa, false);
        if (p == null) {
            return;
        }
        int off = (int) (pa & 0xFFF);
        boolean hit = false;
        for (int k = off; k < Math.min(off + length, PhysicalMemory.PAGE_SIZE); k++) {
            if ((p.covered[k >>> 6] & (1L << (k & 63))) != 0) {
                hit = true;
                break;
            }
        }
        if (!hit) {
            return; // data sharing a page with code: keep the blocks
        }
        invalidations++;
        cachedPages--;
        cachedInsns -= p.insns;
        if (pa < (long) lowPages.length << 12) {
            lowPages[(int) (pa >>> 12)] = null;
        } else if (pa >= HIGH_WINDOW) {
            highPages[(int) ((pa - HIGH_WINDOW) >>> 12)] = null;
        }
        c.mem.clearCode(pa);
        c.exitBlock = true;
        c.codeEpoch++; // block links may point into the dropped page
    }

    /** Bytes of one physical page, stopping at the page end and at the CS limit. */
    private final class PageSource implements ByteSource {
        private long pa;
        private int eip;
        private int limit;

        void set(long pa, int eip, int limit) {
            this.pa = pa;
            this.eip = eip;
            this.limit = limit;
        }

        @Override
        public int fetch(int k) {
            if (((pa + k) & ~0xFFFL) != (pa & ~0xFFFL)) {
                return END;
            }
            int e = eip + k;
            if (!c.code32) {
                e &= 0xFFFF; // 16-bit code: the fetch offset wraps...
                if (eip + k > 0xFFFF) {
                    return END; // ...but a wrapped instruction is decoded uncached
                }
            }
            if (Integer.compareUnsigned(e, limit) > 0) {
                return END;
            }
            return c.mem.read8(pa + k);
        }
    }

    /** Fetches through CS and paging like the hardware prefetcher, raising faults. */
    private final class LinearSource implements ByteSource {
        private int csBase;
        private int eip;
        private int limit;
        private boolean code32;

        void set(int csBase, int eip, int limit, boolean code32) {
            this.csBase = csBase;
            this.eip = eip;
            this.limit = limit;
            this.code32 = code32;
        }

        @Override
        public int fetch(int k) {
            int e = eip + k;
            if (!code32) {
                e &= 0xFFFF;
            }
            if (Integer.compareUnsigned(e, limit) > 0) {
                throw c.gp(0);
            }
            return c.readLin8(csBase + e);
        }
    }
}
