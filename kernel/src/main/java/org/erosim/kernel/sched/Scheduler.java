package org.erosim.kernel.sched;

import static org.erosim.kernel.sched.ActivityDescriptor.NONE;

import java.util.ArrayList;
import java.util.List;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.ResultCode;
import org.erosim.kernel.object.NodeTable;
import org.erosim.kernel.object.ObjectCache;
import org.erosim.kernel.object.StallQueueWaker;
import org.erosim.kernel.process.ProcessDescriptor;
import org.erosim.kernel.process.ProcessTable;

/**
 * Ready queue, stall queues, sleep queue and time slices (kernel.md §6, §13) over the
 * {@link ActivityTable}.
 *
 * <p><b>Queues.</b> The ready queue and every stall queue are intrusive FIFO lists through
 * the activities' next/prev fields. A stall queue's head and tail live in its owner: a node
 * header ({@link NodeTable#stallHead}) or a process-table entry
 * ({@link ProcessTable#stallHead}); {@link QueueId} names a queue by its owner. Enqueue,
 * dequeue and waking one are O(1), waking all is O(1) whatever their number (its members are
 * relabelled lazily: see {@link #stateOf}), and none allocates. The sleep queue is a
 * binary min-heap on (wake cycle, sleep order) in preallocated primitive arrays, bounded by
 * the activity capacity (an activity is in it at most once).
 *
 * <p><b>Invariants</b> (checked by {@link SchedulerChecker}): every activity in use is on
 * exactly one of the ready queue, one stall queue, the sleep heap, or is the running one;
 * its state and queue fields say which. A RUNNING process has exactly one activity (of kind
 * PROCESS, whose subject is the entry); AVAILABLE and WAITING processes have none. At most
 * one activity runs (one processor).
 *
 * <p><b>Wakeups are hints</b> (§6): a woken activity retries its invocation from the trap.
 * It is marked RETRYING until the invocation path reports the outcome through
 * {@link #committed} or a re-stall ({@link #stall}). Under {@link WakePolicy#WAKE_ONE}
 * {@link #wake} moves only the first sleeper and records the queue in the activity's wake
 * origin; its commit, its re-stall on a <em>different</em> queue, or its exit passes the
 * wakeup to the next sleeper of that queue. A re-stall on the same queue does not: the
 * condition is false again and the owner's next change wakes the queue again; the activity
 * goes back to the queue's head, keeping its place (FIFO, no starvation). A queue whose
 * owner leaves memory (node eviction, process unload) is woken entirely under either policy,
 * since the queue itself disappears. A wake origin may outlive its queue (the owner was
 * evicted and its record reused): passing the wakeup then wakes an unrelated sleeper, a
 * spurious wakeup, which costs a retry and never correctness.
 *
 * <p><b>Counters.</b> Global: enqueues, wakeups, retries (woken activities whose retry ended
 * in a commit or a re-stall), re-stalls, commits after wake, wasted retry cycles (cycles the
 * invocation path reports for retries that re-stalled). Per queue, where cheap: process stall
 * queues count enqueues and wakeups in the entry; node stall queues have no counters (the
 * node header has no room; the global counters cover them). Per process entry: cycles,
 * invocations (commits), stalls. None per activity (see {@link ActivityDescriptor}).
 *
 * <p>Constructing a scheduler plugs it into the object cache and the process table as their
 * {@link StallQueueWaker}. Not thread safe; allocation-free after construction except
 * {@link #deadlockReport}.
 */
public final class Scheduler {
    private final ActivityTable activities;
    private final NodeTable nodes;
    private final ProcessTable processes;
    private final WakePolicy policy;
    private final long sliceLength;

    private int readyHead = NONE;
    private int readyTail = NONE;
    private int readyCount;
    private int current = NONE;

    /**
     * Per stall queue, by owner index (node-table index, process-table entry): its length and
     * its wake epoch (see {@link ActivityDescriptor}, "stall epoch"). A wake-all takes the
     * length for its counts and advances the epoch instead of visiting every sleeper. Epochs
     * only grow, and they belong to the index, not the owner: an index reused by another
     * node or process keeps counting, so a stale member never matches again.
     */
    private final int[] nodeQueueLength;
    private final int[] nodeQueueEpoch;
    private final int[] processQueueLength;
    private final int[] processQueueEpoch;

    private final int[] heap;
    private final long[] heapWake;
    private final long[] heapOrder;
    private int heapSize;
    private long sleepOrder;
    private long now;

    private long enqueues;
    private long wakeups;
    private long restalls;
    private long commitsAfterWake;
    private long wastedRetryCycles;
    private long timerWakeups;
    private long dispatches;
    private long preemptions;

    /** Created once: a bound method reference, so waking an owner's queue allocates nothing. */
    private final StallQueueWaker ownerLeaving = this::wakeChain;

    /**
     * Sees every commit point (the storm profiler's latency probe); null when nobody watches.
     * Called from {@link #committed} after the scheduler's own bookkeeping.
     */
    private CommitObserver commitObserver;

    /**
     * An observer of commit points ({@code erosim storm}): an allocation-free callback, called
     * once per {@link #committed} with the activity (still in use: its kind and subject are
     * valid) and whether that commit ended a retry after a wakeup. It must not change any
     * scheduling state.
     */
    @FunctionalInterface
    public interface CommitObserver {
        void committed(int activity, boolean afterWake);
    }

    /**
     * @param cache the object cache whose evicted nodes' queues this scheduler wakes
     * @param processes the process table (its unloaded entries' queues are woken too)
     * @param activities the activity table
     * @param policy the wake policy (run option; {@link WakePolicy#WAKE_ALL} by default)
     * @param sliceLength time slice in emulated cycles (run option), at least 1
     */
    public Scheduler(ObjectCache cache, ProcessTable processes, ActivityTable activities, WakePolicy policy,
        long sliceLength) {
        if (sliceLength < 1) {
            throw new IllegalArgumentException("time slice must be at least one cycle: " + sliceLength);
        }
        this.activities = activities;
        this.nodes = cache.nodes();
        this.processes = processes;
        this.policy = policy;
        this.sliceLength = sliceLength;
        int capacity = activities.capacity();
        this.heap = new int[capacity];
        this.heapWake = new long[capacity];
        this.heapOrder = new long[capacity];
        this.nodeQueueLength = new int[nodes.capacity()];
        this.nodeQueueEpoch = new int[nodes.capacity()];
        this.processQueueLength = new int[processes.capacity()];
        this.processQueueEpoch = new int[processes.capacity()];
        cache.setStallQueueWaker(ownerLeaving);
        processes.setStallQueueWaker(ownerLeaving);
    }

    public ActivityTable activities() {
        return activities;
    }

    public ProcessTable processes() {
        return processes;
    }

    public NodeTable nodes() {
        return nodes;
    }

    public WakePolicy policy() {
        return policy;
    }

    public long sliceLength() {
        return sliceLength;
    }

    // ------------------------------------------------------------------ queue ends by id

    private int head(int q) {
        switch (QueueId.tag(q)) {
            case QueueId.TAG_NODE:
                return nodes.stallHead(q);
            case QueueId.TAG_PROCESS:
                return processes.stallHead(QueueId.index(q));
            default:
                return readyHead;
        }
    }

    private int tail(int q) {
        switch (QueueId.tag(q)) {
            case QueueId.TAG_NODE:
                return nodes.stallTail(q);
            case QueueId.TAG_PROCESS:
                return processes.stallTail(QueueId.index(q));
            default:
                return readyTail;
        }
    }

    private void setEnds(int q, int h, int t) {
        switch (QueueId.tag(q)) {
            case QueueId.TAG_NODE:
                nodes.setStallQueue(q, h, t);
                break;
            case QueueId.TAG_PROCESS:
                processes.setStallQueue(QueueId.index(q), h, t);
                break;
            default:
                readyHead = h;
                readyTail = t;
                break;
        }
    }

    private void append(int q, int a) {
        countMember(q, 1);
        int t = tail(q);
        activities.link(a, t, NONE);
        if (t == NONE) {
            setEnds(q, a, a);
        } else {
            activities.setNext(t, a);
            setTail(q, a); // the head stays: no need to read it back
        }
    }

    private void setTail(int q, int t) {
        switch (QueueId.tag(q)) {
            case QueueId.TAG_NODE:
                nodes.setStallTail(q, t);
                break;
            case QueueId.TAG_PROCESS:
                processes.setStallTail(QueueId.index(q), t);
                break;
            default:
                readyTail = t;
                break;
        }
    }

    private void prepend(int q, int a) {
        countMember(q, 1);
        int h = head(q);
        activities.link(a, NONE, h);
        if (h == NONE) {
            setEnds(q, a, a);
        } else {
            activities.setPrev(h, a);
            setEnds(q, a, tail(q));
        }
    }

    private void unlink(int q, int a) {
        countMember(q, -1);
        int p = activities.prev(a);
        int n = activities.next(a);
        int h = head(q);
        int t = tail(q);
        if (p == NONE) {
            h = n;
        } else {
            activities.setNext(p, n);
        }
        if (n == NONE) {
            t = p;
        } else {
            activities.setPrev(n, p);
        }
        setEnds(q, h, t);
        activities.setNext(a, NONE);
        activities.setPrev(a, NONE);
    }

    /** A member more ({@code d} = 1) or fewer (-1) on stall queue {@code q}; the ready queue keeps {@link #readyCount}. */
    private void countMember(int q, int d) {
        int tag = QueueId.tag(q);
        if (tag == QueueId.TAG_NODE || tag == QueueId.TAG_PROCESS) {
            lengthsOf(q)[QueueId.index(q)] += d;
        }
    }

    /** The lengths of stall queues of {@code q}'s kind (node or process), by owner index. */
    private int[] lengthsOf(int q) {
        return QueueId.tag(q) == QueueId.TAG_NODE ? nodeQueueLength : processQueueLength;
    }

    /** The wake epochs of stall queues of {@code q}'s kind (node or process), by owner index. */
    private int[] epochsOf(int q) {
        return QueueId.tag(q) == QueueId.TAG_NODE ? nodeQueueEpoch : processQueueEpoch;
    }

    /** Activities on stall queue {@code q}. */
    int queueLength(int q) {
        return lengthsOf(q)[QueueId.index(q)];
    }

    /** The wake epoch of stall queue {@code q}. */
    int queueEpoch(int q) {
        return epochsOf(q)[QueueId.index(q)];
    }

    /**
     * True if activity {@code a} is on the ready queue by a wake-all's splice and not yet
     * dispatched: labelled STALLED on a queue whose epoch has moved on since.
     */
    boolean isSpliced(int a) {
        return activities.state(a) == ActivityDescriptor.STALLED
            && activities.stallEpoch(a) != queueEpoch(activities.queue(a));
    }

    /**
     * Activity {@code a}'s scheduling state: its state field, except that a spliced one
     * ({@link #isSpliced}) is READY (ActivityDescriptor, "stall epoch"). Every reader of a
     * state asks here.
     */
    public int stateOf(int a) {
        return isSpliced(a) ? ActivityDescriptor.READY : activities.state(a);
    }

    /**
     * True if activity {@code a} was woken from a stall queue and has not yet committed or
     * stalled again: its RETRYING flag, or, not dispatched yet, it was spliced by a wake-all.
     */
    public boolean isRetrying(int a) {
        return activities.isRetrying(a) || isSpliced(a);
    }

    /** True if {@code q} names a stall queue whose owner is in memory. */
    public boolean isLiveStallQueue(int q) {
        if (q == QueueId.NONE) {
            return false;
        }
        switch (QueueId.tag(q)) {
            case QueueId.TAG_NODE:
                return nodes.isInUse(q);
            case QueueId.TAG_PROCESS:
                return processes.isInUse(QueueId.index(q));
            default:
                return false;
        }
    }

    /**
     * Takes {@code a} off whatever it is on (queue, heap, processor). Its state and queue
     * fields still say where it was: every caller places it at once (stall, sleep, preempt)
     * or frees it (exit), so writing FREE here would only be overwritten.
     */
    private void detach(int a) {
        if (a == current) {
            current = NONE; // the running one (invariant: current is RUNNING): no state to read
            return;
        }
        switch (stateOf(a)) {
            case ActivityDescriptor.READY:
                unlink(QueueId.READY, a);
                readyCount--;
                break;
            case ActivityDescriptor.STALLED:
                unlink(activities.queue(a), a);
                break;
            case ActivityDescriptor.SLEEPING:
                heapRemove(activities.heapIndex(a));
                break;
            case ActivityDescriptor.RUNNING:
                current = NONE;
                break;
            default:
                break;
        }
    }

    private void makeReady(int a) {
        activities.place(a, ActivityDescriptor.READY, QueueId.READY);
        append(QueueId.READY, a);
        readyCount++;
    }

    // ------------------------------------------------------------------ activities of processes

    /**
     * Gives loaded process {@code entry} an activity on the ready queue and makes it RUNNING.
     * Used when a call or resume to it commits, and for a process loaded in the RUNNING state.
     *
     * @return the activity, {@link ResultCode#NO_RESOURCES} if the activity table is full, or
     *     {@link ResultCode#REQUEST_ERROR} if the entry is not loaded or already has one
     */
    public int start(int entry) {
        if (!processes.isInUse(entry) || processes.activity(entry) != NONE) {
            return ResultCode.REQUEST_ERROR;
        }
        int a = activities.allocate(ActivityDescriptor.KIND_PROCESS, entry);
        if (a < 0) {
            return a;
        }
        processes.setActivity(entry, a);
        processes.setRunState(entry, ProcessLayout.RUNNING);
        makeReady(a);
        return a;
    }

    /**
     * Loads process {@code rootOid} ({@link ProcessTable#load}); one stored as RUNNING gets its
     * activity at once (it re-executes its trap). Returns the entry or a ProcessTable code;
     * {@link ProcessTable#NO_ROOM} also when no activity is free: the process is unloaded
     * again (unchanged), because a RUNNING process without an activity would break the
     * run-state invariant.
     */
    public int load(long rootOid) {
        int e = processes.load(rootOid);
        if (e >= 0 && processes.runState(e) == ProcessLayout.RUNNING && processes.activity(e) == NONE
            && start(e) < 0) {
            processes.unload(e);
            return ProcessTable.NO_ROOM;
        }
        return e;
    }

    /**
     * Ends activity {@code a}: its process leaves RUNNING for {@code runState} (WAITING after a
     * CALL, AVAILABLE after a RETURN or when made available). A process that becomes AVAILABLE
     * has its stall queue woken (by the policy): callers waiting for it retry. A wakeup the
     * activity still held under wake-one is passed on.
     */
    public void exit(int a, int runState) {
        leaveRunning(a, runState);
        activities.free(a);
    }

    /**
     * The effect of a CALL or RETURN through a gate on activities (kernel.md §4): running
     * activity {@code a}'s process leaves RUNNING for {@code runState}, and loaded process
     * {@code target} — AVAILABLE or WAITING, so without an activity — becomes RUNNING with a
     * fresh activity at the tail of the ready queue.
     *
     * <p>Exactly {@link #exit} then {@link #start}, done without their detours. Start's
     * allocation would hand back {@code a} itself (the free list is LIFO and exit's wakeups
     * allocate nothing), so the record is re-initialised in place instead of freed and taken
     * again. And when the ready queue is empty after exit's wakeups, the new activity would be
     * the very next one {@link #dispatch} picks: it is dispatched here (fresh slice, counted as
     * a dispatch) instead of appended and popped. Which activity runs when is unchanged; the
     * invocation path saves a free-list round trip and a queue round trip per gate call.
     */
    public void handOff(int a, int runState, int target) {
        leaveRunning(a, runState);
        activities.reuse(a, ActivityDescriptor.KIND_PROCESS, target);
        processes.setActivity(target, a);
        processes.setRunState(target, ProcessLayout.RUNNING);
        if (readyHead == NONE && current == NONE) {
            activities.dispatched(a);
            current = a;
            dispatches++;
        } else {
            makeReady(a);
        }
    }

    /**
     * {@link #exit} and {@link #handOff} but for the record: {@code a} leaves the processor
     * (or its queue), passes on a wakeup it holds, and its process, if any, leaves RUNNING for
     * {@code runState}, its stall queue woken if it becomes AVAILABLE. The record is left in
     * use for the caller to free or reuse: nothing here allocates one.
     */
    private void leaveRunning(int a, int runState) {
        detach(a);
        passWakeup(a, activities.wakeOrigin(a), QueueId.NONE);
        if (activities.kind(a) == ActivityDescriptor.KIND_PROCESS) {
            int entry = activities.subject(a);
            processes.setActivity(entry, NONE);
            processes.setRunState(entry, runState);
            if (runState == ProcessLayout.AVAILABLE) {
                wake(QueueId.process(entry));
            }
        }
    }

    // ------------------------------------------------------------------ running

    /**
     * Picks the next activity: the running one if there is one (one processor), else the head
     * of the ready queue, which starts a fresh slice. Returns {@link ActivityDescriptor#NONE}
     * when nothing is ready.
     */
    public int dispatch() {
        if (current != NONE) {
            return current;
        }
        int a = readyHead;
        if (a == NONE) {
            return NONE;
        }
        // The head leaves the ready queue: only its successor's prev link changes.
        int n = activities.next(a);
        readyHead = n;
        if (n == NONE) {
            readyTail = NONE;
        } else {
            activities.setPrev(n, NONE);
        }
        readyCount--;
        activities.dispatched(a);
        current = a;
        dispatches++;
        return a;
    }

    /** The running activity, or NONE. */
    public int current() {
        return current;
    }

    /**
     * Charges {@code cycles} to activity {@code a} (and its process). Returns true when its
     * slice is spent: the caller preempts between instructions ({@link #preempt}).
     */
    public boolean charge(int a, long cycles) {
        long used = activities.sliceUsed(a) + cycles;
        activities.setSliceUsed(a, used);
        if (activities.kind(a) == ActivityDescriptor.KIND_PROCESS) {
            processes.addCycles(activities.subject(a), cycles);
        }
        return used >= sliceLength;
    }

    /** Moves the running activity {@code a} to the tail of the ready queue (slice spent, or a yield). */
    public void preempt(int a) {
        if (activities.state(a) != ActivityDescriptor.RUNNING) {
            return;
        }
        detach(a);
        makeReady(a);
        preemptions++;
    }

    // ------------------------------------------------------------------ stall, commit, wake

    /**
     * Puts activity {@code a} at the tail of stall queue {@code q} (a gate check or a fault-in
     * found that the invocation cannot proceed). If {@code a} was retrying after a wakeup, the
     * retry failed: a retry, a re-stall and {@code retryCycles} wasted cycles are counted.
     *
     * @return {@link ResultCode#OK}, or {@link ResultCode#REQUEST_ERROR} (nothing changed) if
     *     {@code q} is not a stall queue of an object in memory or {@code a} is not in use
     */
    public int stall(int a, int q, long retryCycles) {
        if (!activities.isValid(a)) {
            return ResultCode.REQUEST_ERROR;
        }
        // The record's fields read once: a storm stalls every sleeper again after its retry.
        int kind = activities.kind(a);
        if (kind == ActivityDescriptor.KIND_FREE || !isLiveStallQueue(q)) {
            return ResultCode.REQUEST_ERROR;
        }
        long flagsAndOrigin = activities.flagsAndWakeOrigin(a);
        detach(a);
        enqueueStalled(a, q, kind == ActivityDescriptor.KIND_PROCESS ? activities.subject(a) : ProcessTable.NONE, flagsAndOrigin,
            retryCycles);
        return ResultCode.OK;
    }

    /**
     * {@link #stall} of the running activity {@code a} of process entry {@code e} (its subject)
     * on the stall queue of loaded process entry {@code t}: what the invocation path's gate
     * does when its target is busy, once per sleeper of a storm. The record is known in use,
     * of kind PROCESS and running, and the queue live, so none of that is read again. The same
     * effect as {@code stall(a, QueueId.process(t), retryCycles)}.
     */
    public void stallInvoker(int a, int e, int t, long retryCycles) {
        long flagsAndOrigin = activities.flagsAndWakeOrigin(a);
        current = NONE; // the running one (invariant: current is RUNNING)
        enqueueStalled(a, QueueId.process(t), e, flagsAndOrigin, retryCycles);
    }

    /**
     * The part of a stall after {@code a} left where it was: onto live queue {@code q}, counted
     * (for process entry {@code entry}, NONE for a detached activity, and for {@code q}'s owner
     * if it is a process), and a retry's re-stall accounted. {@code flagsAndOrigin} is the
     * record's {@link ActivityTable#flagsAndWakeOrigin} as it was before.
     */
    private void enqueueStalled(int a, int q, int entry, long flagsAndOrigin, long retryCycles) {
        int flags = ActivityTable.first(flagsAndOrigin);
        int origin = ActivityTable.second(flagsAndOrigin);
        activities.placeStalled(a, q, queueEpoch(q));
        if (origin == q) {
            // Wake-one: woken from q, it found the condition false again. It goes back to
            // q's head, where it was woken from, so that q stays FIFO. Appended at the tail
            // it would queue behind the activities that stalled while it was retrying, and
            // could be passed over for as long as they keep coming: IpcScenariosTest found
            // the third caller of a busy server starved until the other two were done (the
            // wakeup a commit passes on reached it just after that commit made the server
            // busy again). Wake-all sets no wake origin, so its re-stalls still append.
            prepend(q, a);
        } else {
            append(q, a);
        }
        enqueues++;
        if (entry != ProcessTable.NONE) {
            processes.addToCounter(entry, ProcessDescriptor.STALLS_OFFSET, 1);
        }
        if (QueueId.tag(q) == QueueId.TAG_PROCESS) {
            processes.addToCounter(QueueId.index(q), ProcessDescriptor.QUEUE_ENQUEUES_OFFSET, 1);
        }
        if ((flags & ActivityDescriptor.FLAG_RETRYING) != 0) {
            restalled(a, flags, origin, q, retryCycles);
        }
    }

    /**
     * A retry that stalled again ({@link #stall} of retrying {@code a}, whose {@code flags} and
     * wake {@code origin} it read; now on {@code nowOn}): counts a retry, a re-stall and
     * {@code retryCycles} wasted cycles, and passes a wake-one wakeup on unless {@code a} is
     * back on the very queue it was woken from.
     */
    private void restalled(int a, int flags, int origin, int nowOn, long retryCycles) {
        activities.setFlags(a, flags & ~ActivityDescriptor.FLAG_RETRYING);
        restalls++;
        wastedRetryCycles += retryCycles;
        passWakeup(a, origin, nowOn);
    }

    /**
     * The invocation path's hook at the commit point of {@code a}'s invocation: counts the
     * invocation, a commit after wake if {@code a} was retrying, and passes a wake-one wakeup
     * to the next sleeper of the queue it came from.
     */
    public void committed(int a) {
        if (activities.kind(a) == ActivityDescriptor.KIND_PROCESS) {
            processes.addToCounter(activities.subject(a), ProcessDescriptor.INVOCATIONS_OFFSET, 1);
        }
        committedFlags(a);
    }

    /**
     * {@link #committed} of the activity {@code a} of process entry {@code e} (its subject, so
     * the record's kind and subject need not be read). The common case — no RETRYING flag, no
     * wake-one wakeup held — is one load of the record.
     */
    public void committed(int a, int e) {
        processes.addToCounter(e, ProcessDescriptor.INVOCATIONS_OFFSET, 1);
        if (activities.flagsAndWakeOrigin(a) != ActivityTable.QUIET) {
            committedFlags(a);
        } else if (commitObserver != null) {
            commitObserver.committed(a, false);
        }
    }

    /** The commit's part that depends on the RETRYING flag and the wake origin; then the observer. */
    private void committedFlags(int a) {
        boolean afterWake = activities.isRetrying(a);
        if (afterWake) {
            activities.setFlags(a, activities.flags(a) & ~ActivityDescriptor.FLAG_RETRYING);
            commitsAfterWake++;
        }
        passWakeup(a, activities.wakeOrigin(a), QueueId.NONE);
        if (commitObserver != null) {
            commitObserver.committed(a, afterWake);
        }
    }

    /**
     * The commit point and the end of running detached activity {@code a} (a queued post that
     * fired): exactly {@link #committed} followed by {@link #exit}, in one visit of the record
     * that is about to be freed — its own commit counter is not kept, nothing reads it after
     * the free. A wake-one wakeup it held is passed on; the commit observer sees it while it
     * is still in use.
     */
    public void commitAndEndDetached(int a) {
        int flags = activities.flags(a);
        int origin = activities.wakeOrigin(a);
        boolean afterWake = (flags & ActivityDescriptor.FLAG_RETRYING) != 0;
        if (afterWake) {
            commitsAfterWake++;
        }
        if (commitObserver != null) {
            commitObserver.committed(a, afterWake);
        }
        if (current == a) {
            current = NONE;
        } else {
            detach(a);
        }
        activities.free(a);
        if (origin != QueueId.NONE && isLiveStallQueue(origin)) {
            wakeOne(origin);
        }
    }

    /** Installs the commit observer (null removes it); see {@link CommitObserver}. */
    public void setCommitObserver(CommitObserver observer) {
        this.commitObserver = observer;
    }

    /**
     * Hands the wake-one wakeup {@code a} holds from stall queue {@code origin} (its wake
     * origin, read by the caller; NONE: none held) to the next sleeper there, unless {@code a}
     * is back on that very queue ({@code nowOn}).
     */
    private void passWakeup(int a, int origin, int nowOn) {
        if (origin == QueueId.NONE) {
            return;
        }
        activities.setWakeOrigin(a, QueueId.NONE);
        if (origin != nowOn && isLiveStallQueue(origin)) {
            wakeOne(origin);
        }
    }

    /** Wakes stall queue {@code q} by the run's policy; returns how many activities were woken. */
    public int wake(int q) {
        return policy == WakePolicy.WAKE_ALL ? wakeAll(q) : wakeOne(q);
    }

    /**
     * Moves every sleeper of stall queue {@code q}, in order, to the tail of the ready queue:
     * O(1) whatever their number. The chain is spliced as it is; its members keep their
     * STALLED label, which the queue's advanced epoch makes read as READY ({@link #stateOf}),
     * and the dispatch relabels each (RETRYING) when it reaches the head.
     */
    public int wakeAll(int q) {
        if (!isLiveStallQueue(q)) {
            return 0;
        }
        int h = head(q);
        if (h == NONE) {
            return 0;
        }
        int t = tail(q);
        setEnds(q, NONE, NONE);
        int n = spliceToReady(q, h, t);
        if (QueueId.tag(q) == QueueId.TAG_PROCESS) {
            processes.addToCounter(QueueId.index(q), ProcessDescriptor.QUEUE_WAKEUPS_OFFSET, n);
        }
        return n;
    }

    /**
     * Moves one stalled activity {@code a}, wherever it is on its stall queue, to the tail of
     * the ready queue (a wakeup meant for it alone: its queued post's gate left memory). O(1).
     * Returns 1, or 0 if {@code a} is not stalled. Its queue's other sleepers stay where they
     * are; no wake-one wakeup is held (the activity has no wake origin).
     */
    public int wakeActivity(int a) {
        if (!activities.isInUse(a) || stateOf(a) != ActivityDescriptor.STALLED) {
            return 0;
        }
        wokenFrom(activities.queue(a), a);
        return 1;
    }

    /**
     * Moves the first sleeper of stall queue {@code q} to the ready queue, holding the queue's
     * wakeup (see the class comment). Returns 1, or 0 if the queue is empty.
     */
    public int wakeOne(int q) {
        if (!isLiveStallQueue(q)) {
            return 0;
        }
        int a = head(q);
        if (a == NONE) {
            return 0;
        }
        wokenFrom(q, a);
        activities.setWakeOrigin(a, q);
        return 1;
    }

    /** Stalled {@code a} leaves stall queue {@code q} for the ready queue's tail, RETRYING; counted. */
    private void wokenFrom(int q, int a) {
        unlink(q, a);
        woken(a);
        makeReady(a);
        if (QueueId.tag(q) == QueueId.TAG_PROCESS) {
            processes.addToCounter(QueueId.index(q), ProcessDescriptor.QUEUE_WAKEUPS_OFFSET, 1);
        }
    }

    private void woken(int a) {
        activities.setFlags(a, activities.flags(a) | ActivityDescriptor.FLAG_RETRYING);
        wakeups++;
    }

    /**
     * The {@link StallQueueWaker} for owners leaving memory: the chain head..tail has already
     * been cut from its owner, whose queue every member names. Spliced like a wake-all's, in
     * O(1); the queue's epoch moves on with its index, whoever owns that index next.
     */
    private void wakeChain(int h, int t) {
        spliceToReady(activities.queue(h), h, t);
    }

    /**
     * Appends the chain {@code h..t}, the whole of stall queue {@code q} (already cut from its
     * owner), to the ready queue; q's length goes to 0 and its epoch moves on, so that its
     * members read as READY. Counts the wakeups; returns how many.
     */
    private int spliceToReady(int q, int h, int t) {
        int n = queueLength(q);
        lengthsOf(q)[QueueId.index(q)] = 0;
        epochsOf(q)[QueueId.index(q)]++;
        wakeups += n;
        if (readyTail == NONE) {
            readyHead = h;
        } else {
            activities.setNext(readyTail, h);
        }
        activities.setPrev(h, readyTail);
        readyTail = t;
        readyCount += n;
        return n;
    }

    // ------------------------------------------------------------------ sleep

    /**
     * Puts activity {@code a} to sleep until emulated cycle {@code wakeCycle} (a sleep key). A
     * cycle not after {@link #now()} makes it ready at once.
     */
    public void sleep(int a, long wakeCycle) {
        detach(a);
        if (wakeCycle <= now) {
            makeReady(a);
            return;
        }
        activities.place(a, ActivityDescriptor.SLEEPING, QueueId.SLEEP);
        activities.setWakeCycle(a, wakeCycle);
        int i = heapSize++;
        heap[i] = a;
        heapWake[i] = wakeCycle;
        heapOrder[i] = sleepOrder++;
        activities.setHeapIndex(a, i);
        siftUp(i);
    }

    /** The current emulated cycle as last given to {@link #advanceTo}. */
    public long now() {
        return now;
    }

    /** The earliest wake cycle in the sleep queue, or {@link Long#MAX_VALUE} if nothing sleeps. */
    public long nextWakeCycle() {
        return heapSize == 0 ? Long.MAX_VALUE : heapWake[0];
    }

    /**
     * Advances emulated time to {@code cycle} (never backwards) and moves every sleeper due by
     * then to the ready queue, earliest first (ties in the order they went to sleep). Returns
     * how many woke.
     */
    public int advanceTo(long cycle) {
        if (cycle > now) {
            now = cycle;
        }
        int n = 0;
        while (heapSize > 0 && heapWake[0] <= now) {
            int a = heap[0];
            heapRemove(0);
            makeReady(a);
            timerWakeups++;
            n++;
        }
        return n;
    }

    private boolean before(int i, int j) {
        return heapWake[i] < heapWake[j] || (heapWake[i] == heapWake[j] && heapOrder[i] < heapOrder[j]);
    }

    private void swap(int i, int j) {
        int a = heap[i];
        long w = heapWake[i];
        long o = heapOrder[i];
        heap[i] = heap[j];
        heapWake[i] = heapWake[j];
        heapOrder[i] = heapOrder[j];
        heap[j] = a;
        heapWake[j] = w;
        heapOrder[j] = o;
        activities.setHeapIndex(heap[i], i);
        activities.setHeapIndex(heap[j], j);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!before(i, p)) {
                return;
            }
            swap(i, p);
            i = p;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= heapSize) {
                return;
            }
            int c = l + 1 < heapSize && before(l + 1, l) ? l + 1 : l;
            if (!before(c, i)) {
                return;
            }
            swap(i, c);
            i = c;
        }
    }

    private void heapRemove(int i) {
        int a = heap[i];
        int last = --heapSize;
        if (i != last) {
            heap[i] = heap[last];
            heapWake[i] = heapWake[last];
            heapOrder[i] = heapOrder[last];
            activities.setHeapIndex(heap[i], i);
            siftDown(i);
            siftUp(i);
        }
        activities.setHeapIndex(a, NONE);
    }

    // ------------------------------------------------------------------ deadlock

    /** True when nothing runs, nothing is ready and nothing sleeps, yet activities are stalled. */
    public boolean isDeadlocked() {
        return current == NONE && readyHead == NONE && heapSize == 0 && activities.inUse() > 0;
    }

    /**
     * Who is stalled where (kernel.md §13), one line per stalled activity in handle order:
     * {@code "process 0x… stalled on node 0x…"} or {@code "… on process 0x…"}. Not a hot path.
     */
    public List<String> deadlockReport() {
        List<String> lines = new ArrayList<>();
        for (int a = 0; a < activities.capacity(); a++) {
            if (!activities.isInUse(a) || stateOf(a) != ActivityDescriptor.STALLED) {
                continue;
            }
            lines.add(describeActivity(a) + " stalled on " + describeOwner(activities.queue(a)));
        }
        return lines;
    }

    String describeActivity(int a) {
        if (activities.kind(a) == ActivityDescriptor.KIND_PROCESS) {
            int e = activities.subject(a);
            return "process 0x" + Long.toHexString(processes.rootOid(e)) + " (activity " + a + ")";
        }
        return "post " + activities.subject(a) + " (activity " + a + ")";
    }

    String describeOwner(int q) {
        switch (QueueId.tag(q)) {
            case QueueId.TAG_NODE:
                return "node 0x" + Long.toHexString(nodes.oid(q));
            case QueueId.TAG_PROCESS:
                return "process 0x" + Long.toHexString(processes.rootOid(QueueId.index(q)));
            default:
                return QueueId.describe(q);
        }
    }

    // ------------------------------------------------------------------ for the checker

    int readyHead() {
        return readyHead;
    }

    int readyTail() {
        return readyTail;
    }

    public int readyCount() {
        return readyCount;
    }

    int heapSize() {
        return heapSize;
    }

    int heapAt(int i) {
        return heap[i];
    }

    long heapWakeAt(int i) {
        return heapWake[i];
    }

    boolean heapBefore(int i, int j) {
        return before(i, j);
    }

    public int sleeping() {
        return heapSize;
    }

    // ------------------------------------------------------------------ counters

    public long enqueues() {
        return enqueues;
    }

    public long wakeups() {
        return wakeups;
    }

    public long retries() {
        return restalls + commitsAfterWake; // every retry ends in one or the other: one counter fewer to bump
    }

    public long restalls() {
        return restalls;
    }

    public long commitsAfterWake() {
        return commitsAfterWake;
    }

    public long wastedRetryCycles() {
        return wastedRetryCycles;
    }

    public long timerWakeups() {
        return timerWakeups;
    }

    public long dispatches() {
        return dispatches;
    }

    public long preemptions() {
        return preemptions;
    }
}
