package org.erosim.kernel.run;

import org.agrona.UnsafeApi;
import org.erosim.cpu.Cpu;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.RecordBuffer;
import org.erosim.kernel.space.PageTableCache;
import org.erosim.kernel.space.WalkResult;
import org.erosim.mmu.Mmu;
import org.erosim.mmu.PhysicalMemory;

/**
 * The kernel's view of the current process's linear memory: reads it through the same
 * page tables the guest uses, as a user-mode access, filling a missing PTE from the segment
 * tree ({@link PageTableCache#handleFault}) exactly as a guest page fault would. An address
 * the space does not map (or maps read-only, for writes) is reported, never an exception:
 * the invocation path turns it into MALFORMED_SYSCALL.
 *
 * <p>Invariant: {@link #bind} has been called with the space of the process whose
 * directory is the kernel's ({@link #directory}: walked with {@link Mmu#translateIn}, not
 * through CR3); a fill may reset the page-table pool, so the directory is reloaded from
 * {@link PageTableCache#directoryFor} after every fill. Allocation-free.
 */
final class UserMemory {
    private final Mmu mmu;
    private final PhysicalMemory memory;
    private final PageTableCache tables;
    private final WalkResult walk = new WalkResult();
    private int space;
    /**
     * The directory the kernel is in: the page directory of the address space whose memory
     * it reads and writes (the process it serves or delivers to). The CPU's CR3 is loaded
     * from it only when guest code is about to run (KernelMachine's register load): between
     * traps served without guest code (a replayed retry, the kernel-path driver) CR3 is not
     * touched. {@link #enterSpaceOf}, a fill and KernelMachine's enter set it.
     */
    private int directory;
    private long fills;

    UserMemory(Cpu cpu, PageTableCache tables) {
        this.mmu = cpu.mmu;
        this.memory = cpu.mem;
        this.tables = tables;
    }

    /**
     * Read translations already walked, by (directory, linear page): the kernel reads every
     * invocation's descriptor, and after each address-space switch the walk would be made
     * again. A memo is valid while {@link PageTableCache#generation} is unchanged (no
     * translation was taken away since). Reads through a memo do not set the PTE's accessed
     * bit again: nothing in the kernel reads accessed bits of its own page tables. Each memo
     * also keeps the frame's host address ({@link PhysicalMemory#hostPage}, fixed for the
     * machine's life), so that the descriptor and the trap instruction are read in place
     * without asking the physical memory again.
     *
     * <p>One 32-byte record per memo, off heap (one cache line holds two; a hit reads one
     * record instead of five arrays):
     * <pre>
     *   0                         8                     16                 24                 32
     *   +-------------------------+---------------------+------------------+------------------+
     *   | directory << 32 | page  | generation          | frame (physical) | host address     |
     *   +-------------------------+---------------------+------------------+------------------+
     * </pre>
     */
    private static final int READ_MEMO_MASK = 63;
    private static final int MEMO_KEY = 0;
    private static final int MEMO_GENERATION = 8;
    private static final int MEMO_FRAME = 16;
    private static final int MEMO_HOST = 24;
    private static final int MEMO_LENGTH = 32;
    private final RecordBuffer memos = newMemos();

    private static RecordBuffer newMemos() {
        RecordBuffer m = new RecordBuffer((READ_MEMO_MASK + 1) * MEMO_LENGTH);
        for (int i = 0; i <= READ_MEMO_MASK; i++) {
            m.putLong(i * MEMO_LENGTH + MEMO_GENERATION, -1L); // matches no generation: every memo starts empty
        }
        return m;
    }

    /** A memo's key: the directory (a physical page address) and the linear page number. */
    private static long memoKey(int directory, int linear) {
        return (long) directory << 32 | (linear >>> 12);
    }

    /** The space key location of the process whose memory is accessed next. */
    void bind(int spaceLocation) {
        this.space = spaceLocation;
    }

    /** PTEs filled on the kernel's own behalf (descriptor and string reads). */
    long fills() {
        return fills;
    }

    /** The fault code of the last failed access (a segment-walk fault code). */
    int lastFaultCode() {
        return walk.faultCode();
    }

    /**
     * Physical address of user linear address {@code linear}, or -1 if the space does not
     * allow the access. At most one fill per call: after a successful fill the translation
     * succeeds (the PTE agrees with a fresh walk).
     */
    long physical(int linear, boolean write) {
        long r = write ? mapped(linear, Mmu.ACC_USER | Mmu.ACC_WRITE) : mappedForRead(linear);
        if (r >= 0) {
            return r;
        }
        int access = Mmu.ACC_USER | (write ? Mmu.ACC_WRITE : 0);
        if (!tables.handleFault(space, linear, write, walk)) {
            return -1;
        }
        fills++;
        reloadDirectory();
        return mapped(linear, access);
    }

    /**
     * Physical address of user linear address {@code linear} for a read, through the page
     * tables as they stand (a memo first), or -1 if they do not map it: no fill is tried.
     */
    private long mappedForRead(int linear) {
        int memo = readMemo(linear);
        return memo >= 0 ? memos.getLong(memo + MEMO_FRAME) | (linear & 0xFFF) : -1;
    }

    /** The offset of the read memo of {@code linear}'s page, walked now if needed; -1 if the page tables do not let the process read it. */
    private int readMemo(int linear) {
        int memo = (((linear >>> 12) ^ (directory >>> 12)) & READ_MEMO_MASK) * MEMO_LENGTH;
        long key = memoKey(directory, linear);
        if (memos.getLong(memo + MEMO_KEY) == key && memos.getLong(memo + MEMO_GENERATION) == tables.generation()) {
            return memo;
        }
        long r = mmu.translateIn(directory, linear, Mmu.ACC_USER, true);
        if (r < 0) {
            return -1;
        }
        memos.putLong(memo + MEMO_KEY, key);
        memos.putLong(memo + MEMO_GENERATION, tables.generation());
        memos.putLong(memo + MEMO_FRAME, r & 0xFFFFF000L);
        memos.putLong(memo + MEMO_HOST, memory.hostPage(r & 0xFFFFF000L));
        return memo;
    }

    /** {@link #mappedForRead} for any access, without the memo. */
    private long mapped(int linear, int access) {
        long r = mmu.translateIn(directory, linear, access, true);
        return r >= 0 ? r & 0xFFFFFFFFL : -1;
    }

    /** The trap instruction's bytes, {@code INT 0x31} (CD 31), as a little-endian 16-bit value. */
    static final int TRAP_INSTRUCTION = 0x31CD;

    /**
     * Whether the process's next instruction, at {@code linear}, is the trap: both bytes in
     * one page of plain RAM that the page tables as they stand let the process read (and so
     * execute: IA-32 paging without NX), no fill tried. A fetch that would fault, or cross a
     * page, answers false: the CPU is left to do it (KernelMachine's trap replay).
     */
    boolean trapAt(int linear) {
        if ((linear & (PhysicalMemory.PAGE_SIZE - 1)) > PhysicalMemory.PAGE_SIZE - Invocation.TRAP_LENGTH) {
            return false;
        }
        int memo = readMemo(linear);
        long host = memo < 0 ? PhysicalMemory.NO_HOST : memos.getLong(memo + MEMO_HOST);
        if (host == PhysicalMemory.NO_HOST) {
            return false;
        }
        long at = host + (linear & (PhysicalMemory.PAGE_SIZE - 1));
        return (UnsafeApi.getByte(at) & 0xFF) == (TRAP_INSTRUCTION & 0xFF)
            && (UnsafeApi.getByte(at + 1) & 0xFF) == TRAP_INSTRUCTION >>> 8;
    }

    /** The location of the address-space key of the process whose root node is {@code rootNode} (root slot 2). */
    static int spaceLocation(int rootNode) {
        return KeyLocation.nodeSlot(rootNode, ProcessLayout.SLOT_ADDRESS_SPACE);
    }

    /**
     * The kernel goes into the address space of the process whose root node is
     * {@code rootNode} (to deliver to it): its space bound and its directory the kernel's.
     */
    void enterSpaceOf(int rootNode) {
        bind(spaceLocation(rootNode));
        reloadDirectory();
    }

    /** The kernel's directory becomes the bound space's (after a bind, or a fill that may have reset the pool). */
    private void reloadDirectory() {
        directory = (int) tables.directoryFor(space);
    }

    /** The directory the kernel is in ({@link #directory}). */
    int directory() {
        return directory;
    }

    /** The kernel is in directory {@code cr3} now (KernelMachine's enter, with the space bound). */
    void setDirectory(int cr3) {
        directory = cr3;
    }

    /** {@link #hostRun}: the bytes are not in one plain RAM page; read them with {@link #read}. */
    static final long NOT_ONE_PAGE = PhysicalMemory.NO_HOST;
    /** {@link #hostRun}: the first byte is unreadable (no mapping, or not readable by the process). */
    static final long UNREADABLE = -2L;

    /**
     * The host address of the {@code length} bytes at {@code linear} if they lie in one page
     * of RAM that the process may read, for reading them in place ({@link #hostInt}) without
     * a copy: the invocation descriptor, on every trap. {@link #NOT_ONE_PAGE} if they cross a
     * page or the page is not plain RAM, {@link #UNREADABLE} if the page is unreadable.
     */
    long hostRun(int linear, int length) {
        if ((linear & (PhysicalMemory.PAGE_SIZE - 1)) > PhysicalMemory.PAGE_SIZE - length) {
            return NOT_ONE_PAGE;
        }
        int memo = readMemo(linear);
        if (memo >= 0) {
            long host = memos.getLong(memo + MEMO_HOST);
            return host == PhysicalMemory.NO_HOST ? NOT_ONE_PAGE : host + (linear & (PhysicalMemory.PAGE_SIZE - 1));
        }
        long pa = physical(linear, false); // not mapped yet: fill the page tables (or find why not)
        if (pa < 0) {
            return UNREADABLE;
        }
        long host = memory.hostPage(pa);
        return host == PhysicalMemory.NO_HOST ? NOT_ONE_PAGE : host + (pa & (PhysicalMemory.PAGE_SIZE - 1));
    }

    private static final boolean BIG_ENDIAN_HOST = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.BIG_ENDIAN;

    /** The little-endian int (guest order) at host address {@code host} from {@link #hostRun}. */
    static int hostInt(long host) {
        int v = UnsafeApi.getInt(host); // native order: the guest's on x86 and other little-endian hosts
        return BIG_ENDIAN_HOST ? Integer.reverseBytes(v) : v;
    }

    /** Reads {@code length} bytes at {@code linear} into {@code dst}; false if any byte is unreadable. */
    boolean read(int linear, byte[] dst, int length) {
        int done = 0;
        while (done < length) {
            int at = linear + done;
            int inPage = Math.min(length - done, PhysicalMemory.PAGE_SIZE - (at & (PhysicalMemory.PAGE_SIZE - 1)));
            long pa = physical(at, false);
            if (pa < 0) {
                return false;
            }
            memory.readBytes(pa, dst, done, inPage);
            done += inPage;
        }
        return true;
    }

    /**
     * How many of the {@code length} bytes at {@code linear} the process may write, from the
     * start up to the first page it may not (fills and dirty-marks pages as a write fault
     * would; that changes representation only).
     */
    int writablePrefix(int linear, int length) {
        int done = 0;
        while (done < length) {
            int at = linear + done;
            if (done > 0 && Integer.compareUnsigned(at, linear) < 0) {
                return done; // wrapped around the top of the space
            }
            int inPage = Math.min(length - done, PhysicalMemory.PAGE_SIZE - (at & (PhysicalMemory.PAGE_SIZE - 1)));
            if (physical(at, true) < 0) {
                return done;
            }
            done += inPage;
        }
        return done;
    }

    /** Writes {@code length} bytes to {@code linear}; the caller checked {@link #writablePrefix}. */
    void write(int linear, byte[] src, int length) {
        int done = 0;
        while (done < length) {
            int at = linear + done;
            int inPage = Math.min(length - done, PhysicalMemory.PAGE_SIZE - (at & (PhysicalMemory.PAGE_SIZE - 1)));
            long pa = physical(at, true);
            if (pa < 0) {
                return; // not reached: checked in the dry run
            }
            memory.writeBytes(pa, src, done, inPage);
            done += inPage;
        }
    }

    /** Whether {@code length} bytes at {@code linear} are all readable (fills as needed). */
    boolean readable(int linear, int length) {
        if (length == 0) {
            return true;
        }
        int first = linear & ~(PhysicalMemory.PAGE_SIZE - 1);
        int last = (linear + length - 1) & ~(PhysicalMemory.PAGE_SIZE - 1);
        if (Integer.compareUnsigned(linear + length - 1, linear) < 0) {
            return false; // wraps around the top of the 4 GiB space
        }
        for (int page = first; ; page += PhysicalMemory.PAGE_SIZE) {
            if (physical(page, false) < 0) {
                return false;
            }
            if (page == last) {
                return true;
            }
        }
    }
}
