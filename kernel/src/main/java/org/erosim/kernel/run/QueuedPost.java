package org.erosim.kernel.run;

import static org.erosim.kernel.post.PostDescriptor.*;
import static org.erosim.kernel.process.ProcessDescriptor.EAX_OFFSET;
import static org.erosim.kernel.process.ProcessDescriptor.EBX_OFFSET;
import static org.erosim.kernel.process.ProcessDescriptor.ECX_OFFSET;
import static org.erosim.kernel.process.ProcessDescriptor.EDI_OFFSET;
import static org.erosim.kernel.process.ProcessDescriptor.EDX_OFFSET;
import static org.erosim.kernel.process.ProcessDescriptor.ESI_OFFSET;
import static org.erosim.kernel.process.ProcessDescriptor.RCV_KEYS_OFFSET;
import static org.erosim.kernel.process.ProcessDescriptor.RCV_LIMIT_OFFSET;
import static org.erosim.kernel.process.ProcessDescriptor.RCV_PTR_OFFSET;

import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.Limits;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.abi.ResultCode;
import org.erosim.kernel.cost.CostModel;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.Keys;
import org.erosim.kernel.object.NodeDescriptor;
import org.erosim.kernel.object.NodeTable;
import org.erosim.kernel.object.RecordBuffer;
import org.erosim.kernel.object.SlotWriteListener;
import org.erosim.kernel.post.PostDescriptor;
import org.erosim.kernel.post.PostTable;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.kernel.sched.ActivityDescriptor;
import org.erosim.kernel.sched.ActivityTable;
import org.erosim.kernel.sched.QueueId;
import org.erosim.kernel.sched.Scheduler;

/**
 * Queued POST (kernel.md §11): a non-blocking send T that waits on a gate — a kept red
 * segment R — and fires when R opens.
 *
 * <h2>Queueing ({@link #queue}, from the invocation path)</h2>
 * The invoker never stalls. Dry run: the gate register must hold a segment key (not
 * NO_CALL) to a red segment whose format names a keeper slot, else REQUEST_ERROR; T must be
 * a start, resume or void key, else REQUEST_ERROR; the string is at most
 * {@link Limits#MAX_POST_STRING} bytes, else REQUEST_ERROR; a post record and an activity
 * must be free, else NO_RESOURCES. Nothing is queued in those cases. Commit. Effect: the
 * message (words, string, the sent keys and T, all in unprepared form — see
 * {@link PostDescriptor}) is copied into a post record; the post is linked on R's list of gated
 * posts, and a detached activity ({@link ActivityDescriptor#KIND_POST}) is made for it and
 * evaluated at once ({@link #step}); the invoker continues with w0 = OK.
 *
 * <h2>Waiting and firing ({@link #step}, also whenever the dispatcher picks the activity)</h2>
 * <ol>
 *   <li><b>Gate.</b> R is <em>open</em> when an invocation of R would not stall now: its keeper
 *   slot holds no start key, or the keeper is AVAILABLE. Closed: the activity stalls exactly
 *   where an invoker of R would, on the keeper process's stall queue — so it is woken by what
 *   wakes any invoker of R: the keeper becoming AVAILABLE, keeper rewake (R's keeper slot or
 *   format overwritten), the keeper being unloaded. Open: the post leaves R's list and
 *   fires.</li>
 *   <li><b>Target.</b> Fired, it is delivered to T like a SEND: a start key to an AVAILABLE
 *   process or a resume key to a WAITING one receives the words, keyInfo, the string up to
 *   its receive limit and the keys in its receive registers, and runs; a busy start-key
 *   target makes the post wait on that process's stall queue (it does not re-check the
 *   gate); a void or revoked T drops it. Woken together, posts fire in queue order (the
 *   stall and ready queues are FIFO).</li>
 * </ol>
 *
 * <h2>Premature fire and recheck mode</h2>
 * In the default mode a waiting post holds only the node-table index of R. When R's node
 * leaves memory ({@link #gateEvicted}) its posts fire <em>prematurely</em> (counted): they are
 * marked passed and each of their activities is woken (alone: its queue's other sleepers stay). In recheck mode ({@code --post-recheck}) a
 * post also holds a real key to R (unprepared in its record); eviction only unlinks it, and
 * each evaluation prepares that key again (bringing R back in), so posts keep waiting until
 * R really opens.
 *
 * <p>Allocation-free; delivery reads keys of the record through two kernel scratch registers.
 */
final class QueuedPost {
    /** Scratch registers where a record's keys are prepared for evaluation and delivery. */
    private static final int TARGET = KeyLocation.scratch(6);
    private static final int GATE = KeyLocation.scratch(7);

    private final KernelMachine machine;
    private final PostTable posts;
    private final ProcessTable processes;
    private final ActivityTable activities;
    private final Scheduler scheduler;
    private final Keys keys;
    private final NodeTable nodes;
    private final UserMemory memory;
    private final boolean recheck;
    private final RecordBuffer records;
    private final byte[] string = new byte[Limits.MAX_POST_STRING];

    long queued;
    long firedAtOnce;
    long firedAfterWait;
    long premature;
    long delivered;
    long dropped;
    long refusedNoResources;
    long refusedBadGate;
    long gateWaits;
    long targetWaits;

    QueuedPost(KernelMachine machine, PostTable posts, ProcessTable processes, ActivityTable activities,
        Scheduler scheduler, UserMemory memory, boolean recheck) {
        this.machine = machine;
        this.posts = posts;
        this.processes = processes;
        this.activities = activities;
        this.scheduler = scheduler;
        this.keys = processes.cache().keys();
        this.nodes = processes.cache().nodes();
        this.memory = memory;
        this.recheck = recheck;
        this.records = posts.buffer();
    }

    PostTable table() {
        return posts;
    }

    // ------------------------------------------------------------------ queueing

    /**
     * Dry run of a QPOST: the result code it will answer. {@code gateLocation} is the gate
     * register, {@code targetLocation} the invoked key (prepared by the caller), {@code
     * targetType} its type. OK means {@link #queue} may be called after the commit.
     */
    int check(int gateLocation, int targetLocation, int targetType, int sndLen) {
        if (targetType != KeyType.START && targetType != KeyType.RESUME && targetType != KeyType.VOID
            || Integer.compareUnsigned(sndLen, Limits.MAX_POST_STRING) > 0) {
            refusedBadGate++;
            return ResultCode.REQUEST_ERROR;
        }
        int tail = keys.tailAt(gateLocation);
        if (KeyDescriptor.type(tail) != KeyType.SEGMENT || (KeyDescriptor.restrictions(tail) & Restriction.NO_CALL) != 0) {
            refusedBadGate++;
            return ResultCode.REQUEST_ERROR; // a no-call key is no gate
        }
        machine.charge(CostModel.KEY_PREPARE);
        int red = keys.prepare(gateLocation);
        if (red == Keys.NO_RESOURCES) {
            refusedNoResources++;
            return ResultCode.NO_RESOURCES;
        }
        if (KeyDescriptor.type(keys.tailAt(gateLocation)) != KeyType.SEGMENT || keys.redSegmentKeeperSlot(red) < 0) {
            refusedBadGate++;
            return ResultCode.REQUEST_ERROR;
        }
        if (posts.inUse() == posts.capacity() || activities.inUse() == activities.capacity()) {
            refusedNoResources++;
            return ResultCode.NO_RESOURCES;
        }
        return ResultCode.OK;
    }

    /**
     * Effect of a checked QPOST by entry {@code e}: copies the message into a new record gated
     * on the red segment the (prepared) key at {@code gateLocation} names, and evaluates it.
     * {@code sentKeys} are the four sent-key locations, {@code string} the first {@code sndLen}
     * bytes of the send string.
     */
    void queue(int e, int gateLocation, int targetLocation, int key0, int key1, int key2, int key3, byte[] string,
        int sndLen) {
        int p = posts.allocate();
        int r = posts.offset(p);
        records.putInt(r + WORDS_OFFSET, processes.get(e, EAX_OFFSET));
        records.putInt(r + WORDS_OFFSET + 4, processes.get(e, EBX_OFFSET));
        records.putInt(r + WORDS_OFFSET + 8, processes.get(e, ECX_OFFSET));
        records.putInt(r + WORDS_OFFSET + 12, processes.get(e, EDX_OFFSET));
        records.putInt(r + STRING_LENGTH_OFFSET, sndLen);
        records.putBytes(r + STRING_OFFSET, string, 0, sndLen);
        keys.copyUnprepared(targetLocation, records, r + TARGET_KEY_OFFSET);
        if (KeyDescriptor.type(records.getInt(r + TARGET_KEY_OFFSET + KeyDescriptor.TAIL_OFFSET)) == KeyType.VOID) {
            posts.setVoidTarget(p); // in the header, so that its fire needs nothing else
        }
        keys.copyUnprepared(key0, records, r + KEYS_OFFSET);
        keys.copyUnprepared(key1, records, r + KEYS_OFFSET + KeyDescriptor.LENGTH);
        keys.copyUnprepared(key2, records, r + KEYS_OFFSET + 2 * KeyDescriptor.LENGTH);
        keys.copyUnprepared(key3, records, r + KEYS_OFFSET + 3 * KeyDescriptor.LENGTH);
        if (recheck) {
            keys.copyUnprepared(gateLocation, records, r + GATE_KEY_OFFSET);
        }
        posts.gate(p, keys.word2At(gateLocation));
        int a = activities.allocate(ActivityDescriptor.KIND_POST, p);
        posts.setActivity(p, a);
        queued++;
        machine.chargeString(sndLen);
        step(a, true);
    }

    /** Stores the record key at {@code at} into key location {@code to} (one write path). */
    private void load(int at, int to) {
        keys.store(to, records.getInt(at + KeyDescriptor.TAIL_OFFSET), records.getLong(at + KeyDescriptor.OID_OFFSET),
            records.getInt(at + KeyDescriptor.WORD2_OFFSET), SlotWriteListener.CAUSE_WRITE);
    }

    // ------------------------------------------------------------------ evaluation

    /**
     * Evaluates post activity {@code a}: waits on the gate or the target, or fires and
     * delivers (freeing the record and the activity). {@code fresh}: called from the QPOST
     * itself (counts an immediate fire).
     */
    void step(int a, boolean fresh) {
        // Until it is delivered, only the post's header is read (PostDescriptor): a fire to
        // the void key never touches the record.
        int p = activities.subject(a);
        if (!posts.passed(p)) {
            // The memo first, here: the posts one slot write released pass it one after
            // another, and closedBy is too large for the JIT to inline into this path.
            if (recheck || posts.gateNode(p) != openNode || keys.writeEpoch() != openEpoch) {
                int keeperEntry = closedBy(p);
                if (keeperEntry >= 0) {
                    machine.charge(CostModel.STALL_ENQUEUE);
                    scheduler.stall(a, QueueId.process(keeperEntry), 0);
                    gateWaits++;
                    return;
                }
            }
            // Passed. The PASSED flag is written only if the post has to wait on its target
            // (deliver): a post that is delivered or dropped now is freed at once.
            if (fresh) {
                firedAtOnce++;
            } else {
                firedAfterWait++;
            }
        }
        if (posts.voidTarget(p)) {
            end(a, p); // nothing to prepare: a void target drops the post, as a SEND to it would (free ungates it)
            dropped++;
            return;
        }
        posts.ungate(p); // the gate was passed: deliver may make the post wait on its target
        deliver(a, p, posts.offset(p));
    }

    /**
     * Memo of the last gate found open by its slots alone (not kept, or its keeper slot holds
     * no start key), valid while {@link Keys#writeEpoch} is unchanged: the posts a slot write
     * released are evaluated one after another against the same gate, and nothing in between
     * writes a key (a void target is dropped without one). {@link #gateEvicted} forgets it,
     * since a node brought in later in the same record is filled without a key write.
     */
    private int openNode = NodeDescriptor.NONE;
    private long openEpoch = -1;

    /**
     * The process-table entry of the keeper that keeps post {@code p}'s gate closed, or -1
     * if the gate is open. May load the keeper (or, in recheck mode, bring R back in).
     */
    private int closedBy(int p) {
        int red = posts.gateNode(p);
        if (recheck) {
            load(posts.offset(p) + GATE_KEY_OFFSET, GATE);
            machine.charge(CostModel.KEY_PREPARE);
            red = keys.prepare(GATE);
            int type = KeyDescriptor.type(keys.tailAt(GATE));
            keys.storeVoid(GATE);
            if (red == Keys.NO_RESOURCES) {
                return -1; // cannot bring R in: treat as open rather than wait on nothing
            }
            if (type != KeyType.SEGMENT) {
                return -1; // the gate was rescinded: nothing can open it any more
            }
            if (posts.gateNode(p) != red) {
                posts.ungate(p);
                posts.gate(p, red);
            }
        } else if (red == PostDescriptor.NONE) {
            return -1;
        }
        if (red == openNode && keys.writeEpoch() == openEpoch) {
            return -1; // memo: nothing was written since red was found open by its slots
        }
        int slot = keys.redSegmentKeeperSlot(red);
        int keeper = slot < 0 ? KeyLocation.NONE : KeyLocation.nodeSlot(red, slot);
        if (keeper == KeyLocation.NONE || KeyDescriptor.type(keys.tailAt(keeper)) != KeyType.START) {
            openNode = red;
            openEpoch = keys.writeEpoch();
            return -1;
        }
        machine.charge(CostModel.KEY_PREPARE);
        nodes.pin(red);
        int root = keys.prepare(keeper);
        nodes.unpin(red);
        if (root == Keys.NO_RESOURCES || KeyDescriptor.type(keys.tailAt(keeper)) != KeyType.START) {
            return -1;
        }
        long oid = nodes.oid(root);
        int t = scheduler.load(oid); // the entry, loaded if it was not
        if (t < 0) {
            return -1; // an unloadable keeper keeps nothing closed
        }
        return processes.runState(t) == ProcessLayout.AVAILABLE ? -1 : t;
    }

    /** Fired: delivers post {@code p} (record at {@code r}, on no gate list any more) to its target, or waits on it. */
    private void deliver(int a, int p, int r) {
        load(r + TARGET_KEY_OFFSET, TARGET);
        machine.charge(CostModel.KEY_PREPARE);
        int root = keys.prepare(TARGET);
        int type = KeyDescriptor.type(keys.tailAt(TARGET));
        if (root == Keys.NO_RESOURCES || type != KeyType.START && type != KeyType.RESUME) {
            drop(a, p);
            return;
        }
        long oid = nodes.oid(root);
        int keyInfo = type == KeyType.START ? KeyDescriptor.keyData(keys.tailAt(TARGET)) : 0;
        int t = scheduler.load(oid); // the entry, loaded if it was not
        if (t < 0 || type == KeyType.RESUME && (processes.runState(t) != ProcessLayout.WAITING
            || processes.faultCode(t) != 0 || nodes.callCount(root) == -1)) {
            drop(a, p);
            return;
        }
        if (type == KeyType.START && processes.runState(t) != ProcessLayout.AVAILABLE) {
            posts.setPassed(p);
            keys.storeVoid(TARGET);
            machine.charge(CostModel.STALL_ENQUEUE);
            scheduler.stall(a, QueueId.process(t), 0);
            targetWaits++;
            return;
        }
        if (type == KeyType.RESUME) {
            machine.charge(CostModel.RESUME_CONSUME);
            keys.storeVoid(TARGET);
            keys.consumeResumeKeys(root);
        } else {
            keys.storeVoid(TARGET);
        }
        machine.charge(CostModel.POST_FIRE);
        transfer(r, t, keyInfo);
        end(a, p);
        scheduler.start(t); // the post's activity was just freed: one is available
        delivered++;
    }

    /** Words, string (to the receive limit), keys (to the receive registers) into entry {@code t}. */
    private void transfer(int r, int t, int keyInfo) {
        int length = Math.min(records.getInt(r + STRING_LENGTH_OFFSET), processes.get(t, RCV_LIMIT_OFFSET));
        if (length > 0) {
            memory.enterSpaceOf(processes.rootNode(t));
            length = memory.writablePrefix(processes.get(t, RCV_PTR_OFFSET), length);
            if (length > 0) {
                records.getBytes(r + STRING_OFFSET, string, 0, length);
                machine.chargeString(length);
                memory.write(processes.get(t, RCV_PTR_OFFSET), string, length);
            }
        }
        int rcv = processes.get(t, RCV_KEYS_OFFSET);
        int to = processes.keyRegistersNode(t);
        for (int i = 0; i < 4; i++) {
            int dst = (rcv >>> (8 * i)) & 0xFF;
            if (dst != 0) {
                machine.charge(CostModel.KEY_COPY);
                load(r + KEYS_OFFSET + i * KeyDescriptor.LENGTH, KeyLocation.nodeSlot(to, dst));
            }
        }
        machine.charge(CostModel.WORD_COPY);
        processes.setMessage(t, records.getInt(r + WORDS_OFFSET), records.getInt(r + WORDS_OFFSET + 4),
            records.getInt(r + WORDS_OFFSET + 8), records.getInt(r + WORDS_OFFSET + 12), Math.max(length, 0), keyInfo);
    }

    /** The target is void, revoked or cannot be reached: the post is dropped, as a SEND to a void key. */
    private void drop(int a, int p) {
        if (KeyDescriptor.type(keys.tailAt(TARGET)) != KeyType.VOID) {
            keys.storeVoid(TARGET);
        }
        end(a, p);
        dropped++;
    }

    /** Post {@code p} is done (delivered or dropped): its commit point, then its activity and the post are freed. */
    private void end(int a, int p) {
        scheduler.commitAndEndDetached(a); // passes a wake-one wakeup on; the activity is freed
        posts.free(p);
    }

    // ------------------------------------------------------------------ eviction

    /**
     * Node {@code node} is leaving memory: its gated posts lose their gate. Default mode:
     * they fire prematurely (marked passed; each post's activity is woken so that it runs).
     * Recheck mode: they are unlinked and keep waiting; their next evaluation brings R back.
     */
    void gateEvicted(int node) {
        if (node == openNode) {
            openNode = NodeDescriptor.NONE;
        }
        // Oldest first: woken one by one in gate order, they fire in the order they were queued.
        for (int p = posts.firstGated(node); p != PostDescriptor.NONE; p = posts.firstGated(node)) {
            posts.ungate(p);
            if (recheck) {
                continue;
            }
            posts.setPassed(p);
            premature++;
            // Only this post needs to run: waking its whole queue (the keeper's, shared with
            // every other post and caller of every gate it keeps) would make each eviction
            // cost O(sleepers there) retries, quadratic over a storm of evictions.
            scheduler.wakeActivity(posts.activity(p));
        }
    }
}
