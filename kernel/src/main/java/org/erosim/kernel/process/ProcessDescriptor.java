package org.erosim.kernel.process;

/**
 * The layout of one process-table entry (kernel.md §3): the loaded form of a process whose
 * root node (and key-registers node) stay pinned in the node table while the entry is in use.
 * 192 bytes, 64-byte aligned (three cache lines: registers in the first, queue and bookkeeping
 * in the second, counters in the third).
 *
 * <pre>
 *   0                   4                   8                  12                  16
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | root OID (8, low word first)          | root node index   | key-regs node idx |  0
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | EIP               | ESP               | EFLAGS            | EAX               | 16
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | EBX               | ECX               | EDX               | ESI               | 32
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | EDI               | EBP               | run word          | fault code        | 48
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | fault info        | rcvKeys           | rcvPtr            | rcvLimit          | 64
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | stall queue head  | stall queue tail  | activity          | flags             | 80
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | pin count         | free link         | ring anchor prev  | ring anchor next  | 96
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | reserved (0)                                                                  | 112
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | cycles (8)                            | invocations       | stalls            | 128
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | queue enqueues    | queue wakeups     | reserved (0)                          | 144
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | directory memo: CR3, key tail, key handle, (0), table generation (8)          | 160
 *   |                                       | reserved (0)                          | 176
 *   +-------------------------------------------------------------------------------+ 192
 * </pre>
 *
 * <p>The run word is the root's slot-8 word 2 as is: run state in bits 0-7
 * ({@link org.erosim.kernel.abi.ProcessLayout#AVAILABLE} etc.), flags above. Stall head/tail
 * and activity are activity handles, -1 when none. The free link chains free entries (-1
 * ends it). The ring anchor is reserved for the next step, when start and process keys are
 * prepared against the entry ({@code KeyLocation.PROCESS_ANCHOR}); it is kept at -1 until then.
 *
 * <p>The directory memo ({@link org.erosim.kernel.space.PageTableCache#directoryFor(int,
 * org.erosim.kernel.object.RecordBuffer, int)}) is the page directory the process's space key
 * led to last time, for the dispatcher's resume; a cache, not process state (never written
 * back, cleared with the entry).
 *
 * <p>Memory per process: 2 nodes (1,152 bytes) + this entry (192) + an activity (64 while it
 * runs or stalls) + the scheduler's stall-queue length and wake epoch for the entry and the
 * two nodes (24) = 1,432 bytes, under the 2 KiB budget of quality.md.
 */
public final class ProcessDescriptor {
    public static final int ROOT_OID_OFFSET = 0;
    public static final int ROOT_NODE_OFFSET = 8;
    public static final int KEY_REGISTERS_NODE_OFFSET = 12;
    public static final int EIP_OFFSET = 16;
    public static final int ESP_OFFSET = 20;
    public static final int EFLAGS_OFFSET = 24;
    public static final int EAX_OFFSET = 28;
    public static final int EBX_OFFSET = 32;
    public static final int ECX_OFFSET = 36;
    public static final int EDX_OFFSET = 40;
    public static final int ESI_OFFSET = 44;
    public static final int EDI_OFFSET = 48;
    public static final int EBP_OFFSET = 52;
    public static final int RUN_WORD_OFFSET = 56;
    public static final int FAULT_CODE_OFFSET = 60;
    public static final int FAULT_INFO_OFFSET = 64;
    public static final int RCV_KEYS_OFFSET = 68;
    public static final int RCV_PTR_OFFSET = 72;
    public static final int RCV_LIMIT_OFFSET = 76;
    public static final int STALL_HEAD_OFFSET = 80;
    public static final int STALL_TAIL_OFFSET = 84;
    public static final int ACTIVITY_OFFSET = 88;
    public static final int FLAGS_OFFSET = 92;
    public static final int PIN_COUNT_OFFSET = 96;
    public static final int LINK_OFFSET = 100;
    public static final int RING_OFFSET = 104;
    public static final int CYCLES_OFFSET = 128;
    public static final int INVOCATIONS_OFFSET = 136;
    public static final int STALLS_OFFSET = 140;
    public static final int QUEUE_ENQUEUES_OFFSET = 144;
    public static final int QUEUE_WAKEUPS_OFFSET = 148;
    /** {@link org.erosim.kernel.space.PageTableCache#MEMO_LENGTH} bytes. */
    public static final int DIRECTORY_MEMO_OFFSET = 160;
    public static final int RECORD_LENGTH = 192;
    public static final int ALIGNMENT = 64;

    /** The entry holds a loaded process (else it is on the free list). */
    public static final int FLAG_IN_USE = 1;
    /** Set on use, cleared by the CLOCK hand: a referenced entry survives one sweep. */
    public static final int FLAG_REFERENCED = 2;
    /** Root slot 0 held a schedule key at the last dispatch and has not been written since (ProcessTable). */
    public static final int FLAG_SCHEDULE_CHECKED = 4;
    /** The directory memo holds the key of root slot 2, which has not been written since (ProcessTable). */
    public static final int FLAG_SPACE_CHECKED = 8;

    public static final int NONE = -1;
    /** Run word bits holding the run state; the rest are flags kept as loaded. */
    public static final int RUN_STATE_MASK = 0xFF;

    private ProcessDescriptor() {
    }

    public static int recordOffset(int entry) {
        return entry * RECORD_LENGTH;
    }
}
