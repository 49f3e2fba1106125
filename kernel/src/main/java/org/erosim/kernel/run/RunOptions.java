package org.erosim.kernel.run;

import org.erosim.kernel.cost.CostModel;
import org.erosim.kernel.sched.WakePolicy;

/**
 * The run options of a {@link KernelMachine} (tools.md, {@code erosim run}), with their
 * documented defaults. Every pool is fixed at construction; nothing grows while it runs.
 */
public final class RunOptions {
    public static final long DEFAULT_MAX_CYCLES = 1_000_000_000L;
    public static final int DEFAULT_NODES = 4096;
    public static final int DEFAULT_FRAMES = 4096;
    public static final int DEFAULT_PROCESSES = 256;
    public static final int DEFAULT_ACTIVITIES = 1024;
    public static final int DEFAULT_PAGE_TABLE_FRAMES = 512;
    public static final int DEFAULT_DEPENDENCIES = 1 << 16;
    public static final long DEFAULT_SLICE = 100_000L;
    public static final int DEFAULT_POSTS = 16_384;

    /** The run ends with status 124 once the cycle counter has advanced this far. */
    public long maxCycles = DEFAULT_MAX_CYCLES;
    /** Node-table capacity (in-memory nodes). */
    public int nodes = DEFAULT_NODES;
    /** Object page frames (in-memory pages), 4 KiB of emulated RAM each. */
    public int frames = DEFAULT_FRAMES;
    /** Process-table entries (loaded processes). */
    public int processes = DEFAULT_PROCESSES;
    /** Activity-table entries (running, ready, stalled or sleeping activities). */
    public int activities = DEFAULT_ACTIVITIES;
    /** Frames of the page-table pool (the IA-32 page tables cached from segment trees). */
    public int pageTableFrames = DEFAULT_PAGE_TABLE_FRAMES;
    /** Dependency edges of the page-table cache (slot → mapping). */
    public int dependencies = DEFAULT_DEPENDENCIES;
    /** Time slice in emulated cycles. */
    public long slice = DEFAULT_SLICE;
    public WakePolicy wakePolicy = WakePolicy.WAKE_ALL;
    /** Queued-post records (kernel.md §11); a QPOST finding none free answers NO_RESOURCES. */
    public int posts = DEFAULT_POSTS;
    /** {@code --post-recheck}: a waiting post holds a real key to its gate and keeps waiting across eviction. */
    public boolean postRecheck;
    /** {@code --checkpoint-every}: emulated cycles between periodic checkpoints; 0 = none. */
    public long checkpointEvery;
    /** Keeper rewake (kernel.md §10); false reproduces the original EROS behaviour ({@code --no-keeper-rewake}). */
    public boolean keeperRewake = true;
    /**
     * Trap replay: a retry whose next instruction is the trap has it executed by the kernel,
     * not the interpreter (KernelMachine#replayTrap); emulated results are the same either
     * way. False ({@code --no-trap-replay}) interprets every retry, for comparison.
     */
    public boolean trapReplay = true;
    public CostModel costModel = CostModel.defaults();
}
