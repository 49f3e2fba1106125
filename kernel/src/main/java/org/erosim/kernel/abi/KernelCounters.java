package org.erosim.kernel.abi;

/**
 * The string SYSTRACE READ_COUNTERS answers ({@code abi.md} §4: "layout in the SDK header"):
 * a version word, a reserved word, then unsigned 64-bit little-endian counters, each
 * counting since the last RESET_COUNTERS (or since boot). Byte offsets below; the guest
 * SDK mirrors them as {@code ERO_CTR_*} and {@code struct ero_counters}, and a test keeps
 * both in agreement. A receive buffer shorter than {@link #SIZE} gets a prefix.
 *
 * <pre>
 *     0 version (u32) = VERSION_CURRENT       4 reserved (u32) = 0
 *     8 cycles             emulated cycles: guest instructions plus kernel costs (RDTSC's clock)
 *    16 instructions       guest instructions executed
 *    24 kernel cycles      cycles charged by the kernel's cost model
 *    32 traps              entries into the kernel: INT 0x31, exceptions, page faults
 *    40 invocations        invocations committed (kernel keys and gate keys)
 *    48 gate invocations   committed invocations of start and resume keys
 *    56 stalls             activities put on a stall queue
 *    64 wakeups            activities woken from a stall queue
 *    72 retries            woken activities whose retry committed or stalled again
 *    80 restalls           retries that stalled again
 *    88 timer wakeups      sleepers woken at their wake cycle (SLEEP_FOR)
 *    96 dispatches         activities given the processor for a fresh slice
 *   104 preemptions        activities sent to the back of the ready queue with their slice spent
 *   112 page faults        guest page faults handled by the kernel
 *   120 process faults     processes halted by a fault
 *   128 marks              SYSTRACE MARK trace events
 *   136 object faults      objects brought into memory from the store
 *   144 evictions          objects evicted from memory
 *   152 write-backs        dirty objects written to the store
 *   160 checkpoints        CHECKPOINT TAKE orders carried out
 *   168 (size)
 * </pre>
 */
public final class KernelCounters {
    public static final int VERSION_CURRENT = 1;

    public static final int VERSION = 0;
    public static final int RESERVED = 4;
    public static final int CYCLES = 8;
    public static final int INSTRUCTIONS = 16;
    public static final int KERNEL_CYCLES = 24;
    public static final int TRAPS = 32;
    public static final int INVOCATIONS = 40;
    public static final int GATE_INVOCATIONS = 48;
    public static final int STALLS = 56;
    public static final int WAKEUPS = 64;
    public static final int RETRIES = 72;
    public static final int RESTALLS = 80;
    public static final int TIMER_WAKEUPS = 88;
    public static final int DISPATCHES = 96;
    public static final int PREEMPTIONS = 104;
    public static final int PAGE_FAULTS = 112;
    public static final int PROCESS_FAULTS = 120;
    public static final int MARKS = 128;
    public static final int OBJECT_FAULTS = 136;
    public static final int EVICTIONS = 144;
    public static final int WRITE_BACKS = 152;
    public static final int CHECKPOINTS = 160;
    /** Bytes in the counters string. */
    public static final int SIZE = 168;

    /** Offset of the first counter; counter {@code i} is at {@code FIRST + 8 * i}. */
    public static final int FIRST = CYCLES;
    /** Number of 64-bit counters. */
    public static final int COUNT = (SIZE - FIRST) / 8;

    private KernelCounters() {
    }
}
