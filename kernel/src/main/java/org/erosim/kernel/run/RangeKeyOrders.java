package org.erosim.kernel.run;

import static org.erosim.kernel.process.ProcessDescriptor.NONE;

import org.erosim.kernel.abi.FaultCode;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.OrderCode;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.ResultCode;
import org.erosim.kernel.image.ImageBuilder;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.FrameTable;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.Keys;
import org.erosim.kernel.object.NodeTable;
import org.erosim.kernel.object.ObjectCache;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.kernel.sched.QueueId;
import org.erosim.kernel.sched.Scheduler;

/**
 * RANGE key orders (abi.md §4): NEW_NODE, NEW_PAGE, NEW_PROCESS, RESCIND, MAKE_NUMBER — the
 * only way to make objects at run time, and to revoke them.
 *
 * <p><b>Creation.</b> The objects are made in the dry run, as its last step
 * ({@link #allocate}), from the object cache ({@link ObjectCache#newNode},
 * {@link ObjectCache#newPage}: a fresh OID from the store, a free record or frame, evicting
 * an unpinned object if there is none). Nothing can fail after that, and nobody can see a
 * new object before the answer key is delivered, so making it before the commit point
 * changes nothing observable. If the cache has no record to give (every one pinned) or the
 * store no OID, the order answers NO_RESOURCES and nothing was made (NEW_PROCESS gives back
 * its first node when the second cannot be had). A creation whose answer nobody receives
 * (SEND, RETURN without a resume key) makes nothing. New nodes are all void; a new page is
 * zero; a new process is a root node and a key-registers node, root slot 3 a node key to
 * the latter, slots 8-13 the number keys of abi.md §6 (fault 0, run state AVAILABLE,
 * registers 0, EFLAGS 0x202, no receive fields), every other slot void. Answer keys are
 * unprepared keys carrying the new object's OID and allocation count; they are prepared at
 * first use like any key.
 *
 * <p><b>RESCIND</b> (key 0: any object key; anything else, or a key already stale, is
 * REQUEST_ERROR): the object's allocation count grows (a node's call count too, so resume
 * keys die) and every prepared key to it becomes void at once through its key ring;
 * unprepared copies are stale and become void at their next preparation
 * ({@link Keys#rescind}). A node's stall queue is woken (a hint: sleepers retry). If the
 * node is the root or the key-registers node of a loaded process, that process is stopped
 * first: its activity (if any) ends — the invoker's own, if it rescinds itself: it gets no
 * answer — it is left AVAILABLE and unloaded (registers written back to the root, its stall
 * queue woken: callers retry and find their start keys void). Keys in slot 3 of nodes (a
 * process root's key-registers key) are deprepared rather than voided, so a root keeps its
 * process shape in the store; a process whose key-registers node was rescinded is
 * malformed from then on (loading it fails).
 *
 * <p>Allocation-free.
 */
final class RangeKeyOrders {
    private final Invocation invocation;
    private final KernelMachine machine;
    private final ProcessTable processes;
    private final Scheduler scheduler;
    private final ObjectCache cache;
    private final Keys keys;
    private final NodeTable nodes;
    private final FrameTable frames;

    // What the dry run made for NEW_NODE / NEW_PAGE / NEW_PROCESS (NONE: nothing).
    private int newNode = NONE;
    private int newKeyRegisters = NONE;
    private int newFrame = NONE;

    RangeKeyOrders(Invocation invocation, KernelMachine machine, ProcessTable processes, Scheduler scheduler) {
        this.invocation = invocation;
        this.machine = machine;
        this.processes = processes;
        this.scheduler = scheduler;
        this.cache = processes.cache();
        this.keys = cache.keys();
        this.nodes = cache.nodes();
        this.frames = cache.frames();
    }

    /**
     * Dry run, last step: makes the objects of NEW_NODE, NEW_PAGE or NEW_PROCESS if
     * {@code wanted} (somebody receives the answer) and pins them for the invocation.
     */
    void allocate(int order, boolean wanted) {
        newNode = NONE;
        newKeyRegisters = NONE;
        newFrame = NONE;
        if (!wanted) {
            return;
        }
        switch (order) {
            case OrderCode.RANGE_NEW_NODE:
                int n = cache.newNode();
                if (n >= 0) {
                    invocation.pinObject(KeyType.NODE, n);
                    newNode = n;
                }
                break;
            case OrderCode.RANGE_NEW_PAGE:
                int f = cache.newPage();
                if (f >= 0) {
                    invocation.pinObject(KeyType.PAGE, f);
                    newFrame = f;
                }
                break;
            case OrderCode.RANGE_NEW_PROCESS:
                int root = cache.newNode();
                if (root < 0) {
                    break;
                }
                nodes.pin(root); // the second allocation may evict
                int regs = cache.newNode();
                nodes.unpin(root);
                if (regs < 0) {
                    cache.discardNewNode(root);
                    break;
                }
                invocation.pinObject(KeyType.NODE, root);
                invocation.pinObject(KeyType.NODE, regs);
                newNode = root;
                newKeyRegisters = regs;
                break;
            default:
                break;
        }
    }

    /** The order, invoked by entry {@code e} whose activity is {@code a}; the result code. */
    int act(int e, int a, int order) {
        int answer = Invocation.ANSWER_KEY;
        switch (order) {
            case OrderCode.RANGE_NEW_NODE:
                if (newNode == NONE) {
                    return ResultCode.NO_RESOURCES;
                }
                keys.storeObjectKey(answer, KeyType.NODE, nodes.oid(newNode), nodes.allocationCount(newNode), 0, 0);
                return ResultCode.OK;
            case OrderCode.RANGE_NEW_PAGE:
                if (newFrame == NONE) {
                    return ResultCode.NO_RESOURCES;
                }
                keys.storeObjectKey(answer, KeyType.PAGE, frames.oid(newFrame), frames.allocationCount(newFrame), 0, 0);
                return ResultCode.OK;
            case OrderCode.RANGE_NEW_PROCESS:
                if (newNode == NONE) {
                    return ResultCode.NO_RESOURCES;
                }
                makeProcess(newNode, newKeyRegisters);
                keys.storeObjectKey(answer, KeyType.PROCESS, nodes.oid(newNode), nodes.allocationCount(newNode), 0, 0);
                return ResultCode.OK;
            case OrderCode.RANGE_RESCIND:
                return rescind(e, a);
            case OrderCode.RANGE_MAKE_NUMBER:
                keys.storeNumber(answer, invocation.word(e, 1), invocation.word(e, 2), invocation.word(e, 3));
                return ResultCode.OK;
            default:
                return ResultCode.UNKNOWN_REQUEST;
        }
    }

    /** Fills new node {@code root} as the root of an AVAILABLE process with key registers {@code regs} (abi.md §6). */
    private void makeProcess(int root, int regs) {
        keys.storeObjectKey(KeyLocation.nodeSlot(root, ProcessLayout.SLOT_KEY_REGISTERS), KeyType.NODE, nodes.oid(regs),
            nodes.allocationCount(regs), 0, 0);
        keys.storeNumber(KeyLocation.nodeSlot(root, ProcessLayout.SLOT_FAULT_AND_STATE), FaultCode.NONE, 0,
            ProcessLayout.AVAILABLE);
        keys.storeNumber(KeyLocation.nodeSlot(root, ProcessLayout.SLOT_EIP_ESP_EFLAGS), 0, 0, ImageBuilder.DEFAULT_EFLAGS);
        keys.storeNumber(KeyLocation.nodeSlot(root, ProcessLayout.SLOT_EAX_EBX_ECX), 0, 0, 0);
        keys.storeNumber(KeyLocation.nodeSlot(root, ProcessLayout.SLOT_EDX_ESI_EDI), 0, 0, 0);
        keys.storeNumber(KeyLocation.nodeSlot(root, ProcessLayout.SLOT_EBP), 0, 0, 0);
        keys.storeNumber(KeyLocation.nodeSlot(root, ProcessLayout.SLOT_RECEIVE), 0, 0, 0);
    }

    /** RESCIND of sent key 0 (prepared and its object pinned in the dry run); see the class comment. */
    private int rescind(int e, int a) {
        int location = invocation.sentKey(e, 0);
        int tail = keys.tailAt(location);
        int type = KeyDescriptor.type(tail);
        if (!KeyType.isObjectKey(type) || !KeyDescriptor.isPrepared(tail)) {
            return ResultCode.REQUEST_ERROR;
        }
        if (type == KeyType.PAGE) {
            return keys.rescind(location);
        }
        int node = keys.word2At(location);
        if (nodes.allocationCount(node) == -1 || nodes.callCount(node) == -1) {
            return ResultCode.NO_RESOURCES; // counts are unsigned and never wrap: nothing changes
        }
        stopProcessesOf(node, a);
        keys.deprepareRingKeysInSlot(node, ProcessLayout.SLOT_KEY_REGISTERS);
        int rc = keys.rescind(location);
        scheduler.wake(QueueId.node(node));
        return rc;
    }

    /**
     * Stops and unloads every loaded process whose root or key-registers node is
     * {@code node} ({@code a} is the invoker's activity, which may be one of them).
     */
    private void stopProcessesOf(int node, int a) {
        // A loaded process pins both of its nodes; the invocation holds one pin on the node.
        if (nodes.pinCount(node) <= 1) {
            return;
        }
        for (int x = 0; x < processes.capacity(); x++) {
            if (!processes.isInUse(x) || processes.rootNode(x) != node && processes.keyRegistersNode(x) != node) {
                continue;
            }
            int activity = processes.activity(x);
            if (activity != NONE) {
                if (activity == a) {
                    machine.settle(a); // the invoker's kernel cycles so far are its own
                }
                scheduler.exit(activity, ProcessLayout.AVAILABLE);
            } else {
                processes.setRunState(x, ProcessLayout.AVAILABLE);
            }
            processes.unload(x);
        }
    }
}
