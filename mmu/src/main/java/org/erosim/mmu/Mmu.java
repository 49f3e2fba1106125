package org.erosim.mmu;

/**
 * IA-32 two-level paging (4 KiB pages and, with CR4.PSE, 4 MiB pages) over
 * {@link PhysicalMemory}, filling the {@link Tlb}.
 *
 * <p>Translation results are encoded in a {@code long} so the walk allocates nothing:
 * a non-negative value is the physical address in bits 0..31 plus {@link #WALK_WRITABLE}
 * and {@link #WALK_DIRTY}; a negative value is a page fault whose error code is
 * {@code faultErrorCode(result)}. The caller (the CPU) raises #PF with CR2 = linear.
 *
 * <p>Accessed and dirty bits are written back like hardware: A in the PDE and PTE of every
 * successful walk, D in the PTE (or the 4 MiB PDE) of every successful write. They are
 * not set when the access faults. Reserved bits are not checked (i486/P5 behaviour, see
 * docs/conformance.md).
 */
public final class Mmu {
    public static final int ACC_WRITE = 2;
    public static final int ACC_USER = 4;

    public static final int PF_PRESENT = 1;
    public static final int PF_WRITE = 2;
    public static final int PF_USER = 4;

    public static final long WALK_WRITABLE = 1L << 32;
    public static final long WALK_DIRTY = 1L << 33;
    /** The translation came from a 4 MiB page. */
    public static final long WALK_LARGE = 1L << 34;

    static final int PTE_P = 1;
    static final int PTE_RW = 2;
    static final int PTE_US = 4;
    static final int PTE_A = 0x20;
    static final int PTE_D = 0x40;
    static final int PDE_PS = 0x80;

    public final PhysicalMemory mem;
    public final Tlb tlb;
    private boolean paging;
    private boolean writeProtect;
    private boolean pse;
    private int cr3;
    private long a20Mask = 0xFFFFFFFFL;
    private long walks;
    /**
     * One bit per 4 MiB linear region: set when the TLB may hold (4 KiB-granular) entries
     * of a 4 MiB page there. Invariant: every TLB entry filled from a 4 MiB page has its
     * region bit set; bits are cleared only together with a full TLB flush.
     */
    private final long[] largeRegions = new long[1024 / 64];

    public Mmu(PhysicalMemory mem) {
        this.mem = mem;
        this.tlb = new Tlb();
    }

    /**
     * Sets the paging controls from CR0.PG, CR0.WP, CR4.PSE and CR3; flushes the TLB — unless
     * {@link #setSpaceTagging space tagging} is on and only CR3 changed, which switches the
     * TLB's address space instead.
     */
    public void configure(boolean paging, boolean writeProtect, boolean pse, int cr3) {
        boolean onlyCr3 = spaceTagging && paging && this.paging && writeProtect == this.writeProtect && pse == this.pse;
        this.paging = paging;
        this.writeProtect = writeProtect;
        this.pse = pse;
        this.cr3 = cr3;
        if (onlyCr3) {
            tlb.switchSpace(cr3 & 0xFFFFF000);
        } else {
            flushAll();
            tlb.setDirectory(cr3 & 0xFFFFF000, spaceTagging && paging);
        }
    }

    private boolean spaceTagging;

    /**
     * Address-space tagging of the TLB (off by default): a CR3 load keeps every space's
     * entries, tagged by its directory, instead of flushing them, like a TLB with PCIDs that
     * the CR3 load does not invalidate. Only for a machine whose page tables no guest can
     * write and whose host invalidates every translation it takes away (INVLPG-equivalent
     * {@link #invalidatePage} or a {@link Tlb#flush}): the capability kernel. A guest OS that
     * edits its page tables and reloads CR3 to flush needs it off, as on hardware.
     */
    public void setSpaceTagging(boolean on) {
        this.spaceTagging = on;
        flushAll();
        tlb.setDirectory(cr3 & 0xFFFFF000, on && paging);
    }

    private void flushAll() {
        tlb.flush();
        java.util.Arrays.fill(largeRegions, 0);
    }

    /**
     * INVLPG: drops the translation of the page containing {@code linear}. The TLB holds
     * 4 MiB pages as 4 KiB entries, which in a 1024-entry direct-mapped TLB may sit at any
     * index; so if a 4 MiB page of this region may be cached, everything is flushed (the SDM
     * allows invalidating more than asked, never less).
     */
    public void invalidatePage(int linear) {
        int region = linear >>> 22;
        if ((largeRegions[region >>> 6] & (1L << (region & 63))) != 0) {
            flushAll();
        } else {
            tlb.invalidatePage(linear);
        }
    }

    public boolean pagingEnabled() {
        return paging;
    }

    /** Gate A20: when disabled, physical address bit 20 reads as zero (8086 wrap-around). */
    public void setA20(boolean enabled) {
        long m = enabled ? 0xFFFFFFFFL : 0xFFEFFFFFL;
        if (m != a20Mask) {
            a20Mask = m;
            tlb.flush();
        }
    }

    public boolean a20Enabled() {
        return a20Mask == 0xFFFFFFFFL;
    }

    public long walkCount() {
        return walks;
    }

    public static int faultErrorCode(long result) {
        return (int) ~result;
    }

    private static long fault(int errorCode) {
        return ~(long) errorCode;
    }

    /**
     * Walks the page tables for one access.
     *
     * @param access {@link #ACC_WRITE} and/or {@link #ACC_USER}
     * @param setBits whether to write accessed/dirty bits (false for debugger peeks)
     */
    public long translate(int linear, int access, boolean setBits) {
        return translateIn(cr3, linear, access, setBits);
    }

    /**
     * {@link #translate} through the page directory at {@code directory} instead of CR3's
     * (paging and the other modes as they are): for a host that reads the memory of an
     * address space other than the one the CPU is in, without loading CR3 (the capability
     * kernel reads the descriptor of the process it is about to serve).
     */
    public long translateIn(int directory, int linear, int access, boolean setBits) {
        long lin = linear & 0xFFFFFFFFL;
        if (!paging) {
            return (lin & a20Mask) | WALK_WRITABLE | WALK_DIRTY;
        }
        walks++;
        boolean write = (access & ACC_WRITE) != 0;
        boolean user = (access & ACC_USER) != 0;
        long pdeAddr = ((directory & 0xFFFFF000L) | ((lin >>> 22) << 2)) & a20Mask;
        int pde = mem.read32(pdeAddr);
        if ((pde & PTE_P) == 0) {
            return fault(access & (PF_WRITE | PF_USER));
        }
        if (pse && (pde & PDE_PS) != 0) {
            if (!permits(pde, pde, write, user)) {
                return fault(PF_PRESENT | (access & (PF_WRITE | PF_USER)));
            }
            if (setBits) {
                int n = pde | PTE_A | (write ? PTE_D : 0);
                if (n != pde) {
                    mem.write32(pdeAddr, n);
                    pde = n;
                }
            }
            long pa = ((pde & 0xFFC00000L) | (lin & 0x3FFFFFL)) & a20Mask;
            return pa | flagsOf(pde, pde, user, pde) | WALK_LARGE;
        }
        long pteAddr = ((pde & 0xFFFFF000L) | (((lin >>> 12) & 0x3FF) << 2)) & a20Mask;
        int pte = mem.read32(pteAddr);
        if ((pte & PTE_P) == 0) {
            return fault(access & (PF_WRITE | PF_USER));
        }
        if (!permits(pde, pte, write, user)) {
            return fault(PF_PRESENT | (access & (PF_WRITE | PF_USER)));
        }
        if (setBits) {
            if ((pde & PTE_A) == 0) {
                mem.write32(pdeAddr, pde | PTE_A);
            }
            int n = pte | PTE_A | (write ? PTE_D : 0);
            if (n != pte) {
                mem.write32(pteAddr, n);
                pte = n;
            }
        }
        long pa = ((pte & 0xFFFFF000L) | (lin & 0xFFF)) & a20Mask;
        return pa | flagsOf(pde, pte, user, pte);
    }

    private boolean permits(int pde, int pte, boolean write, boolean user) {
        if (user) {
            if ((pde & pte & PTE_US) == 0) {
                return false;
            }
            return !write || (pde & pte & PTE_RW) != 0;
        }
        return !write || !writeProtect || (pde & pte & PTE_RW) != 0;
    }

    private long flagsOf(int pde, int pte, boolean user, int leaf) {
        boolean rw = (pde & pte & PTE_RW) != 0 || (!user && !writeProtect);
        return (rw ? WALK_WRITABLE : 0) | ((leaf & PTE_D) != 0 ? WALK_DIRTY : 0);
    }

    /**
     * Walks and, if the page is directly backed, enters it into the TLB set for the access's
     * privilege. Returns the {@link #translate} result.
     */
    public long fill(int linear, int access) {
        long r = translate(linear, access, true);
        if (r < 0) {
            return r;
        }
        long pa = r & 0xFFFFFFFFL;
        long host = mem.hostPage(pa);
        if (host != PhysicalMemory.NO_HOST) {
            if ((r & WALK_LARGE) != 0) {
                int region = linear >>> 22;
                largeRegions[region >>> 6] |= 1L << (region & 63);
            }
            boolean user = (access & ACC_USER) != 0;
            int i = tlb.slot(linear, user);
            tlb.readTag[i] = Tlb.tagOf(tlb.readGen, linear);
            tlb.host[i] = host;
            tlb.phys[i] = (int) (pa & ~PhysicalMemory.PAGE_MASK);
            boolean canWrite = (r & WALK_WRITABLE) != 0 && (r & WALK_DIRTY) != 0 && mem.isFastWritable(pa);
            tlb.writeTag[i] = canWrite ? Tlb.tagOf(tlb.writeGen, linear) : Tlb.INVALID;
        }
        return r;
    }
}
