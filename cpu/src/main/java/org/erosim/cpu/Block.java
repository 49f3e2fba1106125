package org.erosim.cpu;

/**
 * A run of pre-decoded instructions that starts at one (CS base, EIP) and ends at a
 * control transfer, a state-changing instruction, a page end or a size cap. It never spans
 * two pages, so invalidating a page drops every block that could contain stale bytes.
 *
 * <p>A block is valid only for the CS base, limit and default size it was decoded under;
 * the cache checks them on lookup.
 */
final class Block {
    /**
     * Successor links (a two-entry inline cache of "the block executed after this one"),
     * valid only while both epochs are unchanged: {@link org.erosim.mmu.Tlb#epoch} (any
     * translation change) and {@link Cpu#codeEpoch} (CS, CPL, mode or code invalidation).
     */
    Block link0;
    Block link1;
    long linkTlbEpoch = -1;
    long linkCodeEpoch = -1;
    /** Which link the next miss replaces. */
    boolean replaceLink1;

    /** Executions so far (until compiled); see {@link BlockCompiler#THRESHOLD}. */
    int hits;
    /** The bytecode translation once hot, or null. */
    CompiledBlock compiled;

    final int eip;
    final int csBase;
    final int csLimit;
    final boolean code32;
    final Insn[] insns;
    /** Decoded for one execution only (page-straddling or not RAM/ROM): never cached. */
    final boolean uncached;

    Block(int eip, int csBase, int csLimit, boolean code32, Insn[] insns, boolean uncached) {
        this.eip = eip;
        this.csBase = csBase;
        this.csLimit = csLimit;
        this.code32 = code32;
        this.insns = insns;
        this.uncached = uncached;
    }
}
