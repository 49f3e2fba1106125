package org.erosim.bench.ipc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.Restriction;
import org.agrona.concurrent.UnsafeBuffer;
import org.erosim.kernel.image.ImageBuilder;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.MemoryObjectSource;
import org.erosim.kernel.object.NodeDescriptor;
import org.erosim.kernel.object.ObjectHeader;
import org.erosim.kernel.object.ObjectSource;
import org.erosim.kernel.process.ProcessDescriptor;
import org.erosim.kernel.run.KernelMachine;
import org.erosim.kernel.run.KernelPathDriver;
import org.erosim.kernel.run.RunOptions;

/**
 * A capability system for the IPC benchmarks, booted: one echo server ({@code guest/ipc-server.S})
 * and one or more clients ({@code guest/ipc-client.S}) that CALL or SEND to it in a loop,
 * every process in an address space of its own (its own segment node and code page, so a
 * switch between them loads another CR3).
 *
 * <pre>
 *  each process's space: a height-1 segment node (128 KiB), one read-only page in slot 16
 *  0x0001_0000  INT 0x31 (the trap, at the same address in every process: {@link #TRAP})
 *  0x0001_0100  descriptor: client CALL on key register 2 / server RETURN on key register 4
 *  0x0001_0120  descriptor: client SEND on key register 2
 *
 *  client   key register 2 = start key to the server, badge {@link #BADGE}; RUNNING at boot,
 *           EIP = TRAP, EBP = its descriptor
 *  server   AVAILABLE, as if it had executed RETURN at TRAP: EIP = TRAP + 2,
 *           EBP = its descriptor, saved receive keys {0, 0, 0, 4} (the resume key into 4)
 * </pre>
 *
 * The image is built with {@link ImageBuilder} and served from memory. Not a hot path:
 * building allocates freely.
 */
final class IpcSystem implements AutoCloseable {
    /** Where both programs are linked ("# org:" in the .S files). */
    static final int PROGRAM_BASE = 0x10000;
    /** The INT 0x31 of every process (the first instruction of both programs). */
    static final int TRAP = PROGRAM_BASE;
    static final int CALL_DESCRIPTOR = PROGRAM_BASE + 0x100;
    static final int SEND_DESCRIPTOR = PROGRAM_BASE + 0x120;
    static final int REPLY_DESCRIPTOR = PROGRAM_BASE + 0x100;
    /** Client key register holding the start key to the server. */
    static final int SERVER_REGISTER = 2;
    /** Server key register the 4th received key (a caller's resume key) goes to. */
    static final int RESUME_REGISTER = 4;
    /** The start key's badge: the server receives it as keyInfo (EDI). */
    static final int BADGE = 0x1BC;
    private static final int LENGTH_OF_INT = 2;

    final KernelMachine machine;
    final KernelPathDriver driver;
    private final long serverOid;
    private final long[] clientOids;

    /** Builds and boots a server and {@code clients} clients that SEND if {@code send}, else CALL. */
    IpcSystem(int clients, boolean send) {
        ImageBuilder b = new ImageBuilder();
        byte[] serverCode = program("ipc-server");
        byte[] clientCode = program("ipc-client");
        int server = process(b, serverCode);
        b.setRunState(server, ProcessLayout.AVAILABLE);
        b.setEip(server, TRAP + LENGTH_OF_INT);
        b.setGeneralRegisters(server, 0, 0, 0, 0, 0, 0, REPLY_DESCRIPTOR);
        b.setNumberKey(server, ProcessLayout.SLOT_RECEIVE, RESUME_REGISTER << 24, 0, 0);
        int[] client = new int[clients];
        for (int i = 0; i < clients; i++) {
            client[i] = trapper(b, clientCode, send ? SEND_DESCRIPTOR : CALL_DESCRIPTOR);
            b.setStartKey(b.keyRegistersNode(client[i]), SERVER_REGISTER, server, BADGE);
        }
        this.machine = new KernelMachine(objects(b), smallPools(8), OutputStream.nullOutputStream());
        this.serverOid = b.oid(server);
        this.clientOids = new long[clients];
        for (int i = 0; i < clients; i++) {
            clientOids[i] = b.oid(client[i]);
            // What KernelMachine.boot does for a store's RUNNING processes: load, give an activity.
            if (machine.scheduler().load(clientOids[i]) < 0) {
                machine.close();
                throw new IllegalStateException("cannot load client " + i);
            }
        }
        this.driver = new KernelPathDriver(machine, TRAP);
    }

    /**
     * Run options with small pools, for these few-process systems (a handful of processes of
     * two nodes, a space node and a page each) and {@code activities} activities.
     */
    static RunOptions smallPools(int activities) {
        RunOptions options = new RunOptions();
        options.nodes = 64;
        options.frames = 16;
        options.processes = 8;
        options.activities = activities;
        options.pageTableFrames = 32;
        options.dependencies = 1024;
        return options;
    }

    /**
     * The image's objects in a {@link MemoryObjectSource} rather than a store file: a
     * StoreFile maps the file with Chronicle Bytes, which needs JVM options that neither the
     * benchmark forks nor the module's tests should have to carry.
     */
    static MemoryObjectSource objects(ImageBuilder b) {
        MemoryObjectSource source = new MemoryObjectSource(b.objectCount() + 1L, b.objectCount());
        ObjectHeader header = new ObjectHeader();
        UnsafeBuffer keys = new UnsafeBuffer(new byte[ObjectSource.NODE_KEYS_LENGTH]);
        UnsafeBuffer page = new UnsafeBuffer(new byte[ObjectSource.PAGE_LENGTH]);
        for (int h = 0; h < b.objectCount(); h++) {
            if (b.isNode(h)) {
                for (int slot = 0; slot < NodeDescriptor.SLOT_COUNT; slot++) {
                    b.readKey(h, slot, keys, slot * KeyDescriptor.LENGTH);
                }
                source.writeNode(header.set(ObjectSource.KIND_NODE, b.oid(h), b.allocationCount(h), b.callCount(h)),
                    keys, 0);
            } else {
                b.readPage(h, page, 0);
                source.writePage(header.set(ObjectSource.KIND_PAGE, b.oid(h), b.allocationCount(h), 0), page, 0);
            }
        }
        return source;
    }

    /** A process whose address space is a segment node of its own holding {@code code} in a read-only page. */
    static int process(ImageBuilder b, byte[] code) {
        int p = b.process();
        int space = b.node();
        b.setPageKey(space, PROGRAM_BASE >>> 12, b.page(code), Restriction.READ_ONLY);
        b.setAddressSpace(p, space, 1, 0);
        return p;
    }

    /**
     * A {@link #process} that runs at boot about to trap: EIP at {@link #TRAP}, EBP at its
     * invocation descriptor {@code descriptor} (the state the kernel-path driver requires).
     */
    static int trapper(ImageBuilder b, byte[] code, int descriptor) {
        int p = process(b, code);
        b.setEip(p, TRAP);
        b.setGeneralRegisters(p, 0, 0, 0, 0, 0, 0, descriptor);
        b.setRunsAtBoot(p, true);
        return p;
    }

    /** The process-table entry of the server (loaded by its first caller), or -1. */
    int serverEntry() {
        return machine.processes().find(serverOid);
    }

    int clientEntry(int i) {
        return machine.processes().find(clientOids[i]);
    }

    /** A register ({@link ProcessDescriptor} offset) of the server as saved in its entry. */
    int serverRegister(int offset) {
        return machine.processes().get(serverEntry(), offset);
    }

    int clientRegister(int i, int offset) {
        return machine.processes().get(clientEntry(i), offset);
    }

    @Override
    public void close() {
        machine.close();
    }

    static byte[] program(String name) {
        String resource = "/guest/" + name + ".bin";
        try (InputStream in = IpcSystem.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath (built by bench/src/main/guest/build.sh)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }
}
