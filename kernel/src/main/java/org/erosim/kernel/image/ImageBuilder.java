package org.erosim.kernel.image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.Limits;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.RedSegmentFormat;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.ObjectSource;
import org.erosim.kernel.store.StoreException;
import org.erosim.kernel.store.StoreWriter;

/**
 * Builds a system image: nodes, pages, processes, red segments and program address spaces,
 * then {@link #write(Path) writes} them as a store file.
 *
 * <h2>Handles and OIDs</h2>
 * Every object (node or page) is named by an int <b>handle</b>, dense from 0 in creation
 * order; its OID in the store is {@code handle + 1} ({@link #oid(int)}). A <b>process</b>
 * is named by the handle of its root node. There is no Java object per node, page or
 * process: the builder keeps parallel primitive arrays indexed by handle and one key pool,
 * so a million two-node processes cost a few hundred bytes each (docs/store-format.md).
 *
 * <h2>Keys</h2>
 * Node slots hold keys in {@link KeyDescriptor} layout, unprepared. An object key takes the
 * count of its object <em>at the time it is set</em> (allocation count; the root node's call
 * count for a resume key), so raising a count afterwards makes earlier keys stale, as a
 * rescind would. Slots never set are void. Slots are stored compactly per node: a 32-bit
 * bitmap of non-void slots plus only those keys, in slot order — the same shape as a node
 * record in the store file.
 *
 * <h2>Processes</h2>
 * {@link #process()} makes a root node and a key-registers node (root slot 3 = node key to
 * it), number keys in root slots 8-13 (all zero except EFLAGS = 0x202) and run state
 * AVAILABLE. "Runs at boot" is the run state RUNNING in root slot 8, word 2 (abi.md §6):
 * the kernel gives every RUNNING process an activity when it starts on an image.
 *
 * <h2>Programs</h2>
 * A program is a list of regions (ELF loadable segments) plus a stack and an entry point.
 * {@link #instantiate(int, int)} builds a process's address space as a segment tree of the
 * smallest height that covers the program: pages touched only by read-only regions are
 * created once per program and shared (with READ_ONLY page keys), and so are subtrees that
 * contain only such pages; pages touched by a writable region or the stack are created per
 * process (zero pages when they hold no initial bytes). A page touched by both a read-only
 * and a writable region is writable.
 *
 * <h2>Maps</h2>
 * {@link #mapSegment} and {@link #mapPage} put a key to an object made elsewhere (a segment,
 * a red segment, a page) into an instantiated process's own space, at an address aligned
 * to the key's span and clear of the program's pages and of the process's other maps. The
 * process's tree grows taller if the address needs it, and the nodes on the path to the
 * key are made per process: a void slot gets a new node, a shared read-only subtree is
 * replaced by a private copy of it (whose keys stay read-only). Shared nodes are never
 * written, so other processes running the program do not see the map.
 *
 * <p>Invalid use throws {@link ImageException} with a one-line message. The builder is not
 * thread-safe.
 */
public final class ImageBuilder {
    /** EFLAGS of a new process: IF set, reserved bit 1 set. */
    public static final int DEFAULT_EFLAGS = 0x202;

    private static final int KIND_NODE = ObjectSource.KIND_NODE;
    private static final int KIND_PAGE = ObjectSource.KIND_PAGE;
    private static final int KEY = KeyDescriptor.LENGTH;
    private static final long SPACE_END = 1L << 32;

    // Per-object columns, indexed by handle. Valid for [0, count).
    private int count;
    private byte[] kind = new byte[1024];
    private int[] allocationCount = new int[1024];
    private int[] callCount = new int[1024];
    /** Nodes: bitmap of non-void slots. */
    private int[] bitmap = new int[1024];
    /** Nodes: first key of the node's region in the key pool (in keys); pages: content index or -1. */
    private int[] base = new int[1024];
    /** Nodes: capacity of the node's key region (in keys, 0..32). */
    private byte[] capacity = new byte[1024];

    /**
     * The key pool: per node a region of {@code capacity} keys holding its non-void keys in
     * slot order. A region outgrown is abandoned (regions only double, so at most half the
     * pool is garbage).
     */
    private final ExpandableArrayBuffer pool = new ExpandableArrayBuffer(1 << 16);
    private int poolKeys;

    /** Page contents, shared between pages with the same initial bytes (never mutated). */
    private final List<byte[]> contents = new ArrayList<>();

    private final List<Program> programs = new ArrayList<>();
    /** The program each instantiated process runs (process handle to program handle), for maps. */
    private final Int2IntHashMap programOf = new Int2IntHashMap(-1);
    /** Per process with maps: the {lo, hi} address ranges mapped so far (they may not overlap). */
    private final Map<Integer, List<long[]>> mapped = new HashMap<>();

    // ------------------------------------------------------------------ objects

    /** A new node with all 32 slots void; returns its handle. */
    public int node() {
        int h = newObject(KIND_NODE);
        base[h] = 0;
        capacity[h] = 0;
        return h;
    }

    /**
     * A new page holding {@code data} (at most 4096 bytes, copied; the rest zero); returns
     * its handle.
     */
    public int page(byte[] data) {
        if (data == null) {
            throw new ImageException("page data is null");
        }
        if (data.length > Limits.PAGE_SIZE) {
            throw new ImageException("page data is " + data.length + " bytes, more than a page (4096)");
        }
        return pageSharingContent(Arrays.copyOf(data, Limits.PAGE_SIZE));
    }

    /** A new all-zero page; returns its handle. Zero pages take no data space in the store. */
    public int zeroPage() {
        int h = newObject(KIND_PAGE);
        base[h] = -1;
        return h;
    }

    /** Number of objects (nodes and pages) made so far; handles are 0..objectCount()-1. */
    public int objectCount() {
        return count;
    }

    /** The OID an object gets in the store: handle + 1. */
    public long oid(int handle) {
        checkHandle(handle);
        return handle + 1L;
    }

    public boolean isNode(int handle) {
        return handle >= 0 && handle < count && kind[handle] == KIND_NODE;
    }

    public boolean isPage(int handle) {
        return handle >= 0 && handle < count && kind[handle] == KIND_PAGE;
    }

    /** Sets an object's allocation count (keys set earlier with a smaller count become stale). */
    public void setAllocationCount(int handle, int allocation) {
        checkHandle(handle);
        allocationCount[handle] = allocation;
    }

    public int allocationCount(int handle) {
        checkHandle(handle);
        return allocationCount[handle];
    }

    /** Sets a node's call count (resume keys set earlier with a smaller count become stale). */
    public void setCallCount(int node, int calls) {
        checkNode(node);
        callCount[node] = calls;
    }

    public int callCount(int node) {
        checkNode(node);
        return callCount[node];
    }

    /** Copies page {@code page}'s 4096 bytes to {@code dst} at {@code offset}. */
    public void readPage(int page, MutableDirectBuffer dst, int offset) {
        checkPage(page);
        int c = base[page];
        if (c < 0) {
            dst.setMemory(offset, Limits.PAGE_SIZE, (byte) 0);
        } else {
            dst.putBytes(offset, contents.get(c));
        }
    }

    // ------------------------------------------------------------------ keys

    /** Makes a slot void. */
    public void setVoid(int node, int slot) {
        checkSlot(node, slot);
        removeKey(node, slot);
    }

    /** A number key holding the 96-bit value w0, w1, w2. */
    public void setNumberKey(int node, int slot, int w0, int w1, int w2) {
        checkSlot(node, slot);
        putKey(node, slot, (w0 & 0xFFFFFFFFL) | (long) w1 << 32, w2, KeyDescriptor.tail(KeyType.NUMBER, 0, 0, 0));
    }

    /** A node key to {@code target} with restriction bits ({@link Restriction}). */
    public void setNodeKey(int node, int slot, int target, int restrictions) {
        checkSlot(node, slot);
        checkNode(target);
        checkRestrictions(restrictions);
        putObjectKey(node, slot, target, allocationCount[target], KeyType.NODE, restrictions, 0);
    }

    /** A segment key to the node {@code target} as a segment of height 1..4. */
    public void setSegmentKey(int node, int slot, int target, int height, int restrictions) {
        checkSlot(node, slot);
        checkNode(target);
        checkHeight(height);
        checkRestrictions(restrictions);
        putObjectKey(node, slot, target, allocationCount[target], KeyType.SEGMENT, restrictions, height);
    }

    /** A page key to {@code page}. */
    public void setPageKey(int node, int slot, int page, int restrictions) {
        checkSlot(node, slot);
        checkPage(page);
        checkRestrictions(restrictions);
        putObjectKey(node, slot, page, allocationCount[page], KeyType.PAGE, restrictions, 0);
    }

    /** A start key to process {@code process} carrying a 16-bit {@code badge}. */
    public void setStartKey(int node, int slot, int process, int badge) {
        checkSlot(node, slot);
        checkProcess(process);
        if ((badge & ~0xFFFF) != 0) {
            throw new ImageException("badge " + badge + " does not fit in 16 bits");
        }
        putObjectKey(node, slot, process, allocationCount[process], KeyType.START, 0, badge);
    }

    /** A process key to process {@code process}. */
    public void setProcessKey(int node, int slot, int process) {
        checkSlot(node, slot);
        checkProcess(process);
        putObjectKey(node, slot, process, allocationCount[process], KeyType.PROCESS, 0, 0);
    }

    /**
     * A resume key to process {@code process} (count = its root node's call count). A
     * consistent image only holds resume keys to WAITING processes; the builder does not
     * enforce it, {@link org.erosim.kernel.store.StoreChecker} reports it.
     */
    public void setResumeKey(int node, int slot, int process) {
        checkSlot(node, slot);
        checkProcess(process);
        putObjectKey(node, slot, process, callCount[process], KeyType.RESUME, 0, 0);
    }

    /**
     * A kernel-implemented key with no object: range, discrim, sched, sleep, console,
     * systrace or checkpoint ({@link KeyType}).
     */
    public void setKernelKey(int node, int slot, int keyType) {
        checkSlot(node, slot);
        if (keyType < KeyType.RANGE || keyType > KeyType.CHECKPOINT) {
            throw new ImageException("key type " + KeyType.name(keyType)
                + " is not a kernel key (range, discrim, sched, sleep, console, systrace, checkpoint)");
        }
        putKey(node, slot, 0L, 0, KeyDescriptor.tail(keyType, 0, 0, 0));
    }

    /** Adds restriction bits to the key in a slot (restrictions only accumulate). */
    public void restrict(int node, int slot, int restrictions) {
        checkSlot(node, slot);
        checkRestrictions(restrictions);
        int at = keyAt(node, slot);
        if (at >= 0) {
            int tail = pool.getInt(at * KEY + KeyDescriptor.TAIL_OFFSET);
            int r = KeyDescriptor.restrictions(tail) | restrictions;
            pool.putInt(at * KEY + KeyDescriptor.TAIL_OFFSET, KeyDescriptor.withRestrictions(tail, r));
        }
    }

    /** Copies the key in one slot to another (possibly of another node). */
    public void copyKey(int fromNode, int fromSlot, int toNode, int toSlot) {
        checkSlot(fromNode, fromSlot);
        checkSlot(toNode, toSlot);
        int at = keyAt(fromNode, fromSlot);
        if (at < 0) {
            removeKey(toNode, toSlot);
        } else {
            int o = at * KEY;
            putKey(toNode, toSlot, pool.getLong(o), pool.getInt(o + 8), pool.getInt(o + KeyDescriptor.TAIL_OFFSET));
        }
    }

    /** The type of the key in a slot ({@link KeyType#VOID} if never set). */
    public int keyType(int node, int slot) {
        checkSlot(node, slot);
        int at = keyAt(node, slot);
        return at < 0 ? KeyType.VOID : KeyDescriptor.type(pool.getInt(at * KEY + KeyDescriptor.TAIL_OFFSET));
    }

    /** Copies the 16-byte (unprepared) key in a slot to {@code dst} at {@code offset}. */
    public void readKey(int node, int slot, MutableDirectBuffer dst, int offset) {
        checkSlot(node, slot);
        int at = keyAt(node, slot);
        if (at < 0) {
            dst.putLong(offset, 0L);
            dst.putInt(offset + 8, 0);
            dst.putInt(offset + KeyDescriptor.TAIL_OFFSET, KeyDescriptor.VOID_TAIL);
        } else {
            dst.putBytes(offset, pool, at * KEY, KEY);
        }
    }

    /** The handle of the object an object key names, or -1 for a key that names none. */
    public int keyTarget(int node, int slot) {
        checkSlot(node, slot);
        int at = keyAt(node, slot);
        if (at < 0 || !KeyType.isObjectKey(KeyDescriptor.type(pool.getInt(at * KEY + KeyDescriptor.TAIL_OFFSET)))) {
            return -1;
        }
        return (int) (pool.getLong(at * KEY + KeyDescriptor.OID_OFFSET) - 1);
    }

    /** Word 0..2 of the number key in a slot (0 if the slot is not a number key). */
    public int numberWord(int node, int slot, int word) {
        checkSlot(node, slot);
        if (word < 0 || word > 2) {
            throw new ImageException("number key word " + word + " out of range 0..2");
        }
        int at = keyAt(node, slot);
        if (at < 0 || KeyDescriptor.type(pool.getInt(at * KEY + KeyDescriptor.TAIL_OFFSET)) != KeyType.NUMBER) {
            return 0;
        }
        return pool.getInt(at * KEY + word * 4);
    }

    /** Bitmap of a node's non-void slots (bit s = slot s). */
    public int slotBitmap(int node) {
        checkNode(node);
        return bitmap[node];
    }

    // ------------------------------------------------------------------ red segments

    /**
     * Makes {@code node} a red segment: writes the format key (abi.md §8) into slot 31.
     * {@code keeperSlot} / {@code backgroundSlot} are slots below 31 or
     * {@link RedSegmentFormat#NONE}; {@code initialSlots} is 0..31 (slot 31 is never part of
     * the space); convention {@link RedSegmentFormat#CONVENTION_NODE_KEY} or
     * {@link RedSegmentFormat#CONVENTION_PASS}; height 1..4.
     */
    public void redSegment(int node, int initialSlots, int keeperSlot, int backgroundSlot, int convention, int height) {
        checkNode(node);
        if (initialSlots < 0 || initialSlots > 31) {
            throw new ImageException("red segment initial slots " + initialSlots + " out of range 0..31");
        }
        if (keeperSlot < 0 || keeperSlot > 31) {
            throw new ImageException("red segment keeper slot " + keeperSlot + " out of range 0..30 (31 = none)");
        }
        if (backgroundSlot < 0 || backgroundSlot > 31) {
            throw new ImageException("red segment background slot " + backgroundSlot + " out of range 0..30 (31 = none)");
        }
        if (convention != RedSegmentFormat.CONVENTION_NODE_KEY && convention != RedSegmentFormat.CONVENTION_PASS) {
            throw new ImageException("red segment convention " + convention + " is neither 0 (node key) nor 1 (pass)");
        }
        checkHeight(height);
        setNumberKey(node, RedSegmentFormat.FORMAT_SLOT,
            RedSegmentFormat.encode(initialSlots, keeperSlot, backgroundSlot, convention, height), 0, 0);
    }

    // ------------------------------------------------------------------ processes

    /**
     * A new process: root node plus key-registers node, registers zero, EFLAGS 0x202, run
     * state AVAILABLE, and the schedule key in slot 0 (a process without one faults
     * NO_SCHEDULE when it is dispatched: {@link #setVoid} slot 0 to build such a process).
     * Returns the process handle, which is the root node's handle.
     */
    public int process() {
        int root = node();
        int keyRegs = node();
        reserve(root, 8);
        setKernelKey(root, ProcessLayout.SLOT_SCHEDULE, KeyType.SCHED);
        setNodeKey(root, ProcessLayout.SLOT_KEY_REGISTERS, keyRegs, 0);
        setNumberKey(root, ProcessLayout.SLOT_FAULT_AND_STATE, 0, 0, ProcessLayout.AVAILABLE);
        setNumberKey(root, ProcessLayout.SLOT_EIP_ESP_EFLAGS, 0, 0, DEFAULT_EFLAGS);
        setNumberKey(root, ProcessLayout.SLOT_EAX_EBX_ECX, 0, 0, 0);
        setNumberKey(root, ProcessLayout.SLOT_EDX_ESI_EDI, 0, 0, 0);
        setNumberKey(root, ProcessLayout.SLOT_EBP, 0, 0, 0);
        setNumberKey(root, ProcessLayout.SLOT_RECEIVE, 0, 0, 0);
        return root;
    }

    /** Whether {@code handle} is a process root: a node whose slot 3 is a node key to another node. */
    public boolean isProcess(int handle) {
        if (!isNode(handle)) {
            return false;
        }
        int at = keyAt(handle, ProcessLayout.SLOT_KEY_REGISTERS);
        if (at < 0 || KeyDescriptor.type(pool.getInt(at * KEY + KeyDescriptor.TAIL_OFFSET)) != KeyType.NODE) {
            return false;
        }
        long target = pool.getLong(at * KEY) - 1;
        return target != handle && target >= 0 && target < count && kind[(int) target] == KIND_NODE;
    }

    public int rootNode(int process) {
        checkProcess(process);
        return process;
    }

    public int keyRegistersNode(int process) {
        checkProcess(process);
        return (int) (pool.getLong(keyAt(process, ProcessLayout.SLOT_KEY_REGISTERS) * KEY) - 1);
    }

    /** Root slot 1: a start key to {@code keeper} with {@code badge}. */
    public void setKeeper(int process, int keeper, int badge) {
        checkProcess(process);
        setStartKey(process, ProcessLayout.SLOT_KEEPER, keeper, badge);
    }

    /** Root slot 0: the schedule key (a sched kernel key). */
    public void setSchedule(int process) {
        checkProcess(process);
        setKernelKey(process, ProcessLayout.SLOT_SCHEDULE, KeyType.SCHED);
    }

    /** Root slot 2: a segment key to {@code segmentRoot} of {@code height}. */
    public void setAddressSpace(int process, int segmentRoot, int height, int restrictions) {
        checkProcess(process);
        setSegmentKey(process, ProcessLayout.SLOT_ADDRESS_SPACE, segmentRoot, height, restrictions);
    }

    /** Root slot 2: a page key (a one-page address space). */
    public void setAddressSpacePage(int process, int page, int restrictions) {
        checkProcess(process);
        setPageKey(process, ProcessLayout.SLOT_ADDRESS_SPACE, page, restrictions);
    }

    public void setRegisters(int process, int eip, int esp, int eflags) {
        checkProcess(process);
        setNumberKey(process, ProcessLayout.SLOT_EIP_ESP_EFLAGS, eip, esp, eflags);
    }

    public void setEip(int process, int eip) {
        setNumberWord(process, ProcessLayout.SLOT_EIP_ESP_EFLAGS, 0, eip);
    }

    public void setEsp(int process, int esp) {
        setNumberWord(process, ProcessLayout.SLOT_EIP_ESP_EFLAGS, 1, esp);
    }

    public void setGeneralRegisters(int process, int eax, int ebx, int ecx, int edx, int esi, int edi, int ebp) {
        checkProcess(process);
        setNumberKey(process, ProcessLayout.SLOT_EAX_EBX_ECX, eax, ebx, ecx);
        setNumberKey(process, ProcessLayout.SLOT_EDX_ESI_EDI, edx, esi, edi);
        setNumberKey(process, ProcessLayout.SLOT_EBP, ebp, 0, 0);
    }

    /** Run state AVAILABLE, RUNNING or WAITING ({@link ProcessLayout}); flags bits 8+ are kept. */
    public void setRunState(int process, int runState) {
        checkProcess(process);
        if (runState < ProcessLayout.AVAILABLE || runState > ProcessLayout.WAITING) {
            throw new ImageException("run state " + runState + " is not 0 (available), 1 (running) or 2 (waiting)");
        }
        int w = numberWord(process, ProcessLayout.SLOT_FAULT_AND_STATE, 2);
        setNumberWord(process, ProcessLayout.SLOT_FAULT_AND_STATE, 2, (w & ~0xFF) | runState);
    }

    public int runState(int process) {
        checkProcess(process);
        return numberWord(process, ProcessLayout.SLOT_FAULT_AND_STATE, 2) & 0xFF;
    }

    /** A process that runs at boot is one in run state RUNNING; false makes it AVAILABLE. */
    public void setRunsAtBoot(int process, boolean runs) {
        setRunState(process, runs ? ProcessLayout.RUNNING : ProcessLayout.AVAILABLE);
    }

    // ------------------------------------------------------------------ programs

    /** A new, empty program; returns its handle (programs have their own handle space). */
    public int program(String name) {
        programs.add(new Program(name == null ? "program" + programs.size() : name));
        return programs.size() - 1;
    }

    /**
     * Adds a loadable region: {@code bytes} at {@code vaddr}, then zeros up to
     * {@code memSize} (bss). Regions of one program may not overlap each other or the stack.
     */
    public void addRegion(int program, long vaddr, byte[] bytes, int memSize, boolean writable) {
        program(program).addRegion(vaddr, bytes, memSize, writable);
    }

    /** The stack: {@code size} bytes of writable zero pages ending at {@code top} (ESP = top). */
    public void stack(int program, int size, long top) {
        program(program).setStack(size, top);
    }

    /** The entry point (EIP of every process that instantiates the program). */
    public void entry(int program, int eip) {
        program(program).entry(eip);
    }

    /**
     * Builds {@code process}'s address space from {@code program} (see the class comment),
     * puts a segment key to it in root slot 2 and sets EIP and ESP. Returns the handle of
     * the address space's root node. After the first instantiation the program is frozen.
     */
    public int instantiate(int program, int process) {
        checkProcess(process);
        Program p = program(program);
        p.freeze(this);
        programOf.put(process, program);
        mapped.remove(process);
        int height = p.height;
        int root;
        if (p.anyWritable) {
            root = buildSpace(p, height, 0L);
            setAddressSpace(process, root, height, 0);
        } else {
            root = p.sharedSubtree(this, height, 0L);
            setAddressSpace(process, root, height, Restriction.READ_ONLY);
        }
        setEip(process, p.entry);
        setEsp(process, (int) p.stackTop);
        return root;
    }

    /** The height of the address spaces {@code program} instantiates to (freezes the program). */
    public int programHeight(int program) {
        Program p = program(program);
        p.freeze(this);
        return p.height;
    }

    /** Builds one node of height {@code height} spanning from {@code spanBase}; per process. */
    int buildSpace(Program p, int height, long spanBase) {
        int node = node();
        int shift = 12 + 5 * (height - 1);
        for (int slot = 0; slot < 32; slot++) {
            long lo = spanBase + ((long) slot << shift);
            long hi = lo + (1L << shift);
            int first = p.firstPageAtOrAbove(lo >>> 12);
            if (first >= p.pageCount || p.vpn[first] >= (hi >>> 12)) {
                continue;
            }
            if (height == 1) {
                if (p.writable[first]) {
                    byte[] c = p.content[first];
                    int page = c == null ? zeroPage() : pageSharingContent(c);
                    setPageKey(node, slot, page, 0);
                } else {
                    setPageKey(node, slot, p.sharedPage(this, first), Restriction.READ_ONLY);
                }
            } else if (p.anyWritableIn(lo >>> 12, hi >>> 12)) {
                setSegmentKey(node, slot, buildSpace(p, height - 1, lo), height - 1, 0);
            } else {
                setSegmentKey(node, slot, p.sharedSubtree(this, height - 1, lo), height - 1, Restriction.READ_ONLY);
            }
        }
        return node;
    }

    // ------------------------------------------------------------------ maps

    /**
     * Maps a segment key to {@code segment} (a node used as a segment or red segment of
     * {@code height} 1..4) into {@code process}'s space at {@code address}; see the class
     * comment. The key goes into a slot of a per-process node of height {@code height + 1},
     * whose slots span exactly the key's span. Returns that node.
     */
    public int mapSegment(int process, long address, int segment, int height, int restrictions) {
        checkNode(segment);
        checkHeight(height);
        checkRestrictions(restrictions);
        int holder = mapHolder(process, address, height, "segment " + segment);
        setSegmentKey(holder, slotIndex(address, height + 1), segment, height, restrictions);
        return holder;
    }

    /**
     * Maps a page key to {@code page} into {@code process}'s space at {@code address}
     * (4 KiB aligned); the key goes into a per-process node of height 1. Returns that node.
     */
    public int mapPage(int process, long address, int page, int restrictions) {
        checkPage(page);
        checkRestrictions(restrictions);
        int holder = mapHolder(process, address, 0, "page " + page);
        setPageKey(holder, slotIndex(address, 1), page, restrictions);
        return holder;
    }

    /**
     * Checks a map of a key of {@code keyHeight} (0 = page) at {@code address} and returns
     * the per-process node of height keyHeight + 1 whose slot will hold it. Every check
     * comes before the first change, so a refused map leaves the builder as it was.
     */
    private int mapHolder(int process, long address, int keyHeight, String what) {
        Program p = checkMap(process, address, keyHeight, what);
        mapped.computeIfAbsent(process, k -> new ArrayList<>()).add(new long[] {address, address + span(keyHeight)});
        int treeHeight = growSpace(process, Math.max(keyHeight + 1, heightCovering(address + span(keyHeight))));
        int node = privateChild(p, process, ProcessLayout.SLOT_ADDRESS_SPACE, treeHeight);
        for (int h = treeHeight; h > keyHeight + 1; h--) {
            node = privateChild(p, node, slotIndex(address, h), h - 1);
        }
        return node;
    }

    /**
     * The program {@code process} runs, after checking that a key of {@code keyHeight} may
     * be mapped at {@code address}: aligned to its span, below 4 GiB, clear of the
     * program's pages and of the process's earlier maps.
     */
    private Program checkMap(int process, long address, int keyHeight, String what) {
        checkProcess(process);
        int prog = programOf.get(process);
        if (prog < 0 || keyType(process, ProcessLayout.SLOT_ADDRESS_SPACE) != KeyType.SEGMENT) {
            throw new ImageException("process " + process + " does not run a program (instantiate one first); "
                + "only a program's space is the process's own to map into");
        }
        long span = span(keyHeight);
        String range = what + " at [0x" + Long.toHexString(address) + ", 0x" + Long.toHexString(address + span) + ")";
        if (address < 0 || address % span != 0) {
            throw new ImageException("map of " + what + " at 0x" + Long.toHexString(address)
                + " is not aligned to its span 0x" + Long.toHexString(span));
        }
        if (address + span > SPACE_END) {
            throw new ImageException("map of " + range + " does not fit below 4 GiB");
        }
        Program p = programs.get(prog);
        p.checkFree(address, address + span, "map of " + what);
        for (long[] r : mapped.getOrDefault(process, List.of())) {
            if (address < r[1] && r[0] < address + span) {
                throw new ImageException("map of " + range + " overlaps the map at [0x" + Long.toHexString(r[0])
                    + ", 0x" + Long.toHexString(r[1]) + ")");
            }
        }
        // Unreachable after checkFree (a height-4 key spans every page of the program); kept
        // because a node of height 5, which would hold it, does not exist.
        if (keyHeight >= Limits.MAX_HEIGHT) {
            throw new ImageException("map of " + range + " spans the whole address space");
        }
        return p;
    }

    /**
     * Makes {@code process}'s tree at least {@code height} tall: each new root holds the
     * old one in slot 0, whose span is exactly the old root's. Returns the tree's height.
     */
    private int growSpace(int process, int height) {
        int current = spaceKeyData(process);
        for (int h = current + 1; h <= height; h++) {
            int root = node();
            copyKey(process, ProcessLayout.SLOT_ADDRESS_SPACE, root, 0);
            setAddressSpace(process, root, h, 0);
        }
        return Math.max(current, height);
    }

    /**
     * The node of {@code height} that the segment key in {@code holder}'s {@code slot}
     * names, made the process's own first: a void slot gets a new node; a shared read-only
     * subtree is replaced by a copy (its keys, all read-only, are copied as they are). The
     * key to the result is unrestricted, so the mapped key's own restrictions are the only
     * ones on its path. Invariant (held by buildSpace, growSpace and this): a segment key in
     * a process-tree node of height h has height h - 1.
     */
    private int privateChild(Program p, int holder, int slot, int height) {
        int type = keyType(holder, slot);
        if (type == KeyType.VOID) {
            int made = node();
            setSegmentKey(holder, slot, made, height, 0);
            return made;
        }
        if (type != KeyType.SEGMENT) {
            throw new ImageException("slot " + slot + " of node " + holder + " on the map's path holds a "
                + KeyType.name(type) + " key, not a segment key of the process's tree");
        }
        int target = keyTarget(holder, slot);
        if (!p.isSharedNode(target)) {
            return target;
        }
        int copy = node();
        for (int bits = bitmap[target]; bits != 0; bits &= bits - 1) {
            int s = Integer.numberOfTrailingZeros(bits);
            copyKey(target, s, copy, s);
        }
        setSegmentKey(holder, slot, copy, height, 0);
        return copy;
    }

    /** The height in the keyData of the segment key in root slot 2. */
    private int spaceKeyData(int process) {
        return KeyDescriptor.keyData(pool.getInt(keyAt(process, ProcessLayout.SLOT_ADDRESS_SPACE) * KEY
            + KeyDescriptor.TAIL_OFFSET));
    }

    /** Bytes spanned by a key of height {@code h} (0 = a page): 2^(12+5h). */
    private static long span(int h) {
        return 1L << (12 + 5 * h);
    }

    /** The smallest height 1..4 whose span reaches {@code end}. */
    private static int heightCovering(long end) {
        int h = 1;
        while (h < Limits.MAX_HEIGHT && span(h) < end) {
            h++;
        }
        return h;
    }

    /** The slot of a node of {@code height} that {@code address} falls in. */
    private static int slotIndex(long address, int height) {
        return (int) ((address >>> (12 + 5 * (height - 1))) & 31);
    }

    // ------------------------------------------------------------------ output

    /**
     * Writes the image as a store file (replacing {@code file}). Objects get OIDs
     * handle + 1; the builder stays usable (writing again gives the same bytes).
     */
    public void write(Path file) {
        UnsafeBuffer page = new UnsafeBuffer(new byte[Limits.PAGE_SIZE]);
        long recordBytes = 0;
        for (int h = 0; h < count; h++) {
            recordBytes += kind[h] == KIND_NODE ? 4 + 16L * Integer.bitCount(bitmap[h]) : base[h] < 0 ? 0 : Limits.PAGE_SIZE;
        }
        try (StoreWriter w = StoreWriter.create(file, count, recordBytes)) {
            for (int h = 0; h < count; h++) {
                if (kind[h] == KIND_NODE) {
                    w.addNode(h + 1L, allocationCount[h], callCount[h], bitmap[h], pool, base[h] * KEY);
                } else if (base[h] < 0) {
                    w.addZeroPage(h + 1L, allocationCount[h]);
                } else {
                    page.wrap(contents.get(base[h]));
                    w.addPage(h + 1L, allocationCount[h], page, 0);
                }
            }
            w.finish();
        } catch (StoreException e) {
            throw new ImageException(e.getMessage(), e);
        }
    }

    /** Bytes of Java heap the builder's tables use (for the memory-per-process measurement). */
    public long footprintBytes() {
        long b = (long) kind.length * (1 + 4 + 4 + 4 + 4 + 1) + pool.capacity() + programOf.capacity() * 8L;
        for (byte[] c : contents) {
            b += c.length + 16;
        }
        return b;
    }

    // ------------------------------------------------------------------ internals

    int pageSharingContent(byte[] content) {
        int h = newObject(KIND_PAGE);
        contents.add(content);
        base[h] = contents.size() - 1;
        return h;
    }

    private int newObject(int k) {
        if (count == kind.length) {
            int n = count + (count >> 1);
            if (n < 0 || n > Integer.MAX_VALUE - 16) {
                throw new ImageException("too many objects (" + count + ")");
            }
            kind = Arrays.copyOf(kind, n);
            allocationCount = Arrays.copyOf(allocationCount, n);
            callCount = Arrays.copyOf(callCount, n);
            bitmap = Arrays.copyOf(bitmap, n);
            base = Arrays.copyOf(base, n);
            capacity = Arrays.copyOf(capacity, n);
        }
        int h = count++;
        kind[h] = (byte) k;
        allocationCount[h] = 0;
        callCount[h] = 0;
        bitmap[h] = 0;
        return h;
    }

    private void setNumberWord(int node, int slot, int word, int value) {
        checkSlot(node, slot);
        int w0 = numberWord(node, slot, 0);
        int w1 = numberWord(node, slot, 1);
        int w2 = numberWord(node, slot, 2);
        if (word == 0) {
            w0 = value;
        } else if (word == 1) {
            w1 = value;
        } else {
            w2 = value;
        }
        setNumberKey(node, slot, w0, w1, w2);
    }

    private void putObjectKey(int node, int slot, int target, int keyCount, int type, int restrictions, int keyData) {
        putKey(node, slot, target + 1L, keyCount, KeyDescriptor.tail(type, 0, restrictions, keyData));
    }

    /** Pool index (in keys) of a slot's key, or -1 if the slot is void. */
    private int keyAt(int node, int slot) {
        int bm = bitmap[node];
        if ((bm & (1 << slot)) == 0) {
            return -1;
        }
        return base[node] + Integer.bitCount(bm & ((1 << slot) - 1));
    }

    private void putKey(int node, int slot, long body0, int body8, int tail) {
        int bm = bitmap[node];
        int bit = 1 << slot;
        int rank = Integer.bitCount(bm & (bit - 1));
        if ((bm & bit) == 0) {
            int n = Integer.bitCount(bm);
            if (n == capacity[node]) {
                reserve(node, n == 0 ? 2 : n * 2);
            }
            // Shift keys [rank, n) up one to keep slot order.
            int b = base[node];
            for (int i = n - 1; i >= rank; i--) {
                int from = (b + i) * KEY;
                pool.putLong(from + KEY, pool.getLong(from));
                pool.putLong(from + KEY + 8, pool.getLong(from + 8));
            }
            bitmap[node] = bm | bit;
        }
        int o = (base[node] + rank) * KEY;
        pool.putLong(o, body0);
        pool.putInt(o + 8, body8);
        pool.putInt(o + KeyDescriptor.TAIL_OFFSET, tail);
    }

    private void removeKey(int node, int slot) {
        int bm = bitmap[node];
        int bit = 1 << slot;
        if ((bm & bit) == 0) {
            return;
        }
        int rank = Integer.bitCount(bm & (bit - 1));
        int n = Integer.bitCount(bm);
        int b = base[node];
        for (int i = rank; i < n - 1; i++) {
            int to = (b + i) * KEY;
            pool.putLong(to, pool.getLong(to + KEY));
            pool.putLong(to + 8, pool.getLong(to + KEY + 8));
        }
        bitmap[node] = bm & ~bit;
    }

    /** Gives a node a key region of at least {@code keys} keys, moving its keys if needed. */
    private void reserve(int node, int keys) {
        int cap = Math.min(32, keys);
        if (capacity[node] >= cap) {
            return;
        }
        if ((long) poolKeys + cap > (Integer.MAX_VALUE - 64) / KEY) {
            throw new ImageException("image too large: the key pool exceeds 2 GiB");
        }
        int n = Integer.bitCount(bitmap[node]);
        int newBase = poolKeys;
        poolKeys += cap;
        if (n > 0) {
            pool.putBytes(newBase * KEY, pool, base[node] * KEY, n * KEY);
        }
        pool.checkLimit(poolKeys * KEY);
        base[node] = newBase;
        capacity[node] = (byte) cap;
    }

    private Program program(int program) {
        if (program < 0 || program >= programs.size()) {
            throw new ImageException("program handle " + program + " does not name a program");
        }
        return programs.get(program);
    }

    private void checkHandle(int handle) {
        if (handle < 0 || handle >= count) {
            throw new ImageException("handle " + handle + " does not name an object (there are " + count + ")");
        }
    }

    private void checkNode(int handle) {
        checkHandle(handle);
        if (kind[handle] != KIND_NODE) {
            throw new ImageException("handle " + handle + " is a page, not a node");
        }
    }

    private void checkPage(int handle) {
        checkHandle(handle);
        if (kind[handle] != KIND_PAGE) {
            throw new ImageException("handle " + handle + " is a node, not a page");
        }
    }

    private void checkProcess(int handle) {
        checkNode(handle);
        if (!isProcess(handle)) {
            throw new ImageException("node " + handle + " is not a process root (slot 3 is not a node key to its key-registers node)");
        }
    }

    private void checkSlot(int node, int slot) {
        checkNode(node);
        if (slot < 0 || slot >= Limits.SLOTS_PER_NODE) {
            throw new ImageException("slot " + slot + " out of range 0..31");
        }
    }

    private static void checkHeight(int height) {
        if (height < 1 || height > Limits.MAX_HEIGHT) {
            throw new ImageException("segment height " + height + " out of range 1..4");
        }
    }

    private static void checkRestrictions(int restrictions) {
        if ((restrictions & ~Restriction.ALL) != 0) {
            throw new ImageException("restriction bits 0x" + Integer.toHexString(restrictions)
                + " include undefined bits (defined: 1 read-only, 2 no-call, 4 weak, 8 opaque)");
        }
    }
}
