package org.erosim.bench.ipc;

import java.io.OutputStream;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.RedSegmentFormat;
import org.erosim.kernel.image.ImageBuilder;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.Keys;
import org.erosim.kernel.run.KernelMachine;
import org.erosim.kernel.run.KernelPathDriver;
import org.erosim.kernel.run.RunOptions;

/**
 * A system for the queued-POST benchmark (kernel.md §11), booted: a poster
 * ({@code guest/ipc-poster.S}) that QPOSTs to the void key with a kept red segment as its
 * gate, the red segment's keeper, which is never AVAILABLE (stored WAITING), so the gate is
 * closed, and nothing else. {@link #closeGate} puts the keeper's start key in the red
 * segment's keeper slot, {@link #release} writes void there — one slot write, whose keeper
 * rewake wakes every post waiting on the keeper's queue — and runs the woken posts, each one
 * evaluating the gate (open), firing, and being dropped (the void target). Driven on the
 * kernel path only ({@link KernelPathDriver}): {@link #queue} makes the poster trap
 * {@code n} times (each trap queues one post, which waits at once).
 */
final class PostFireSystem implements AutoCloseable {
    private static final int GATE_REGISTER = 3;
    private static final int KEEPER_SLOT = 4;

    final KernelMachine machine;
    final KernelPathDriver driver;
    private final long keeperOid;
    private final int keeperSlot;
    private final Keys keys;

    PostFireSystem(int posts) {
        ImageBuilder b = new ImageBuilder();
        int keeper = IpcSystem.process(b, IpcSystem.program("ipc-server"));
        b.setRunState(keeper, ProcessLayout.WAITING);
        int poster = IpcSystem.trapper(b, IpcSystem.program("ipc-poster"), IpcSystem.PROGRAM_BASE + 0x100);
        int red = b.node();
        b.redSegment(red, 1, KEEPER_SLOT, RedSegmentFormat.NONE, RedSegmentFormat.CONVENTION_NODE_KEY, 1);
        b.setSegmentKey(b.keyRegistersNode(poster), GATE_REGISTER, red, 1, 0);
        RunOptions options = IpcSystem.smallPools(posts + 8);
        options.posts = posts;
        this.machine = new KernelMachine(IpcSystem.objects(b), options, OutputStream.nullOutputStream());
        this.keeperOid = b.oid(keeper);
        if (machine.scheduler().load(b.oid(poster)) < 0 || machine.scheduler().load(keeperOid) < 0) {
            machine.close();
            throw new IllegalStateException("cannot load the poster or the keeper");
        }
        this.keys = machine.cache().keys();
        int node = machine.cache().faultNode(b.oid(red));
        machine.cache().nodes().pin(node); // the gate stays in memory: no premature fire
        this.keeperSlot = KeyLocation.nodeSlot(node, KEEPER_SLOT);
        this.driver = new KernelPathDriver(machine, IpcSystem.TRAP);
    }

    /** Closes the gate: the keeper's start key into the keeper slot. */
    void closeGate() {
        keys.storeObjectKey(keeperSlot, KeyType.START, keeperOid, 0, 0, 0);
    }

    /**
     * The poster queues {@code n} posts on the closed gate (each trap one QPOST that answers
     * OK and whose post waits at once); the poster stays the running activity.
     */
    void queue(int n) {
        for (int i = 0; i < n; i++) {
            if (driver.trap() != KernelPathDriver.RESUMED) {
                throw new IllegalStateException("QPOST " + i + " did not leave the poster running");
            }
        }
    }

    /**
     * Opens the gate with one slot write (void into the keeper slot: the rewake wakes every
     * waiting post), lets the poster yield behind them, and runs {@code n} activities: the
     * woken posts, each evaluated, fired and dropped. Returns how many were posts.
     */
    int release(int n) {
        open();
        return fire(n);
    }

    /** The first half of {@link #release}: the slot write that opens the gate and wakes the posts, and the poster's yield. */
    void open() {
        keys.storeVoid(keeperSlot);
        driver.yieldRunning();
    }

    /** The second half of {@link #release}: runs {@code n} activities; returns how many were posts. */
    int fire(int n) {
        int posts = 0;
        for (int i = 0; i < n; i++) {
            posts += driver.trap() == KernelPathDriver.POST ? 1 : 0;
        }
        return posts;
    }

    /** Posts waiting now. */
    int waiting() {
        return machine.postsWaiting();
    }

    @Override
    public void close() {
        machine.close();
    }
}
