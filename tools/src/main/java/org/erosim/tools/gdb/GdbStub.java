package org.erosim.tools.gdb;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.TreeSet;
import org.erosim.cpu.Cpu;
import org.erosim.cpu.Interpreter;
import org.erosim.cpu.Reg;

/**
 * A GDB remote serial protocol stub for a bare-metal run, listening on loopback only.
 *
 * <p>Supported: register read/write ({@code g G p P}; the i386 register layout of GDB's
 * {@code i386} architecture with zeroed x87 registers, described by {@code target.xml}),
 * memory read/write through the current paging ({@code m M X}), continue and single step
 * ({@code c s vCont}), software and hardware execution breakpoints ({@code Z0 Z1 z0 z1}),
 * stop reason ({@code ?}), kill and detach. Breakpoints are EIP values (linear addresses in
 * the flat segments test kernels use). While any breakpoint is set the interpreter runs one
 * instruction at a time so that every instruction boundary is checked.
 *
 * <p>The stub owns the run while a debugger is attached: {@link #serve} returns when the
 * guest ends the run (the caller reports the end as usual) or the debugger kills it.
 */
public final class GdbStub {
    /** What the run loop should do when the debugger lets go. */
    public enum Outcome {
        /** The guest ended the run (exit, halt, shutdown) while running under the debugger. */
        GUEST_ENDED,
        /** The debugger sent kill. */
        KILLED,
        /** The debugger detached: continue running without it. */
        DETACHED
    }

    private static final int SIGTRAP = 5;
    private static final int CHUNK = 100_000;

    private final Cpu cpu;
    private final Interpreter interp;
    private final TreeSet<Integer> breakpoints = new TreeSet<>();
    private final long maxInstructions;
    private Interpreter.Stop lastStop = Interpreter.Stop.BUDGET;
    private InputStream in;
    private OutputStream out;
    private boolean noAck;

    public GdbStub(Cpu cpu, Interpreter interp, long maxInstructions) {
        this.cpu = cpu;
        this.interp = interp;
        this.maxInstructions = maxInstructions;
    }

    /** The interpreter's last stop reason (meaningful after {@link Outcome#GUEST_ENDED}). */
    public Interpreter.Stop lastStop() {
        return lastStop;
    }

    /** Listens on 127.0.0.1:{@code port}, accepts one debugger and serves it. */
    public Outcome listen(int port, java.io.PrintWriter log) throws IOException {
        try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            log.println("erosim: waiting for gdb on 127.0.0.1:" + server.getLocalPort()
                + " (target remote :" + server.getLocalPort() + ")");
            log.flush();
            try (Socket s = server.accept()) {
                s.setTcpNoDelay(true);
                return serve(new BufferedInputStream(s.getInputStream()), s.getOutputStream());
            }
        }
    }

    /** Serves one debugger connection over the given streams. */
    public Outcome serve(InputStream input, OutputStream output) throws IOException {
        this.in = input.markSupported() ? input : new BufferedInputStream(input);
        this.out = output;
        while (true) {
            String p = readPacket();
            if (p == null) {
                return Outcome.DETACHED; // connection closed
            }
            Outcome o = handle(p);
            if (o != null) {
                return o;
            }
        }
    }

    // ---------------------------------------------------------------- packets

    private String readPacket() throws IOException {
        while (true) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            if (c == 0x03) {
                continue; // interrupt request while already stopped
            }
            if (c != '$') {
                continue; // '+' / '-' acks and noise
            }
            StringBuilder b = new StringBuilder();
            int sum = 0;
            while (true) {
                c = in.read();
                if (c < 0) {
                    return null;
                }
                if (c == '#') {
                    break;
                }
                b.append((char) c);
                sum += c;
            }
            int h1 = in.read();
            int h2 = in.read();
            if (h1 < 0 || h2 < 0) {
                return null;
            }
            int got = (Character.digit(h1, 16) << 4) | Character.digit(h2, 16);
            if (!noAck) {
                out.write(got == (sum & 0xFF) ? '+' : '-');
                out.flush();
            }
            if (got == (sum & 0xFF) || noAck) {
                return unescape(b.toString());
            }
        }
    }

    private static String unescape(String s) {
        if (s.indexOf('}') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '}' && i + 1 < s.length()) {
                b.append((char) (s.charAt(++i) ^ 0x20));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private void send(String payload) throws IOException {
        int sum = 0;
        StringBuilder b = new StringBuilder(payload.length() + 4).append('$');
        for (int i = 0; i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (c == '$' || c == '#' || c == '}' || c == '*') {
                b.append('}');
                sum += '}';
                c ^= 0x20;
            }
            b.append(c);
            sum += c;
        }
        b.append('#').append(String.format("%02x", sum & 0xFF));
        out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (!noAck) {
            int ack = in.read(); // '+' expected; a '-' would ask for a resend, which GDB never does on TCP
            if (ack == '-') {
                out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        }
    }

    private Outcome handle(String p) throws IOException {
        if (p.isEmpty()) {
            send("");
            return null;
        }
        char cmd = p.charAt(0);
        switch (cmd) {
            case '?':
                send(stopReply());
                return null;
            case 'g':
                send(readRegisters());
                return null;
            case 'G':
                writeRegisters(p.substring(1));
                send("OK");
                return null;
            case 'p':
                send(readRegister(Integer.parseInt(p.substring(1), 16)));
                return null;
            case 'P': {
                int eq = p.indexOf('=');
                writeRegister(Integer.parseInt(p.substring(1, eq), 16), p.substring(eq + 1));
                send("OK");
                return null;
            }
            case 'm':
                send(readMemory(p.substring(1)));
                return null;
            case 'M':
                send(writeMemoryHex(p.substring(1)));
                return null;
            case 'X':
                send(writeMemoryBinary(p.substring(1)));
                return null;
            case 'c':
                return resume(false, p.substring(1));
            case 's':
                return resume(true, p.substring(1));
            case 'Z':
            case 'z':
                send(breakpoint(cmd == 'Z', p.substring(1)));
                return null;
            case 'k':
                return Outcome.KILLED;
            case 'D':
                send("OK");
                return Outcome.DETACHED;
            case 'H':
                send("OK");
                return null;
            case 'T':
                send("OK");
                return null;
            case 'v':
                return handleV(p);
            case 'q':
            case 'Q':
                send(query(p));
                return null;
            default:
                send("");
                return null;
        }
    }

    private Outcome handleV(String p) throws IOException {
        if (p.equals("vCont?")) {
            send("vCont;c;C;s;S");
            return null;
        }
        if (p.startsWith("vCont;")) {
            String action = p.substring(6);
            char a = action.charAt(0);
            return resume(a == 's' || a == 'S', "");
        }
        if (p.startsWith("vKill")) {
            send("OK");
            return Outcome.KILLED;
        }
        send("");
        return null;
    }

    private String query(String p) {
        if (p.startsWith("qSupported")) {
            return "PacketSize=4000;qXfer:features:read+;QStartNoAckMode+;swbreak+;hwbreak+";
        }
        if (p.equals("QStartNoAckMode")) {
            noAck = true;
            return "OK";
        }
        if (p.equals("qAttached")) {
            return "1";
        }
        if (p.equals("qC")) {
            return "QC1";
        }
        if (p.equals("qfThreadInfo")) {
            return "m1";
        }
        if (p.equals("qsThreadInfo")) {
            return "l";
        }
        if (p.startsWith("qXfer:features:read:target.xml:")) {
            String[] range = p.substring("qXfer:features:read:target.xml:".length()).split(",");
            int off = Integer.parseInt(range[0], 16);
            int len = Integer.parseInt(range[1], 16);
            String xml = TargetDescription.XML;
            if (off >= xml.length()) {
                return "l";
            }
            int end = Math.min(xml.length(), off + len);
            return (end == xml.length() ? "l" : "m") + xml.substring(off, end);
        }
        if (p.startsWith("qRcmd,")) {
            return ""; // no monitor commands
        }
        return "";
    }

    // ---------------------------------------------------------------- execution

    private String stopReply() {
        return String.format("T%02xthread:1;", SIGTRAP);
    }

    private Outcome resume(boolean step, String addr) throws IOException {
        if (!addr.isEmpty()) {
            cpu.eip = (int) Long.parseLong(addr, 16);
        }
        if (step) {
            lastStop = interp.run(1);
            if (guestEnded()) {
                send(exitReply());
                return Outcome.GUEST_ENDED;
            }
            send(stopReply());
            return null;
        }
        // In the interpreter's units, as Machine.run counts them (docs/boot.md).
        long start = interp.budgetUsed();
        boolean first = true;
        while (interp.budgetUsed() - start < maxInstructions) {
            if (breakpoints.isEmpty()) {
                lastStop = interp.run(Math.min(CHUNK, maxInstructions - (interp.budgetUsed() - start)));
            } else {
                lastStop = interp.run(1);
            }
            if (guestEnded()) {
                send(exitReply());
                return Outcome.GUEST_ENDED;
            }
            if (!breakpoints.isEmpty() && breakpoints.contains(cpu.eip) && !first) {
                send(String.format("T%02xthread:1;swbreak:;", SIGTRAP));
                return null;
            }
            first = false;
            if (in.available() > 0) {
                in.mark(1);
                if (in.read() == 0x03) { // Ctrl-C from the debugger
                    send(String.format("T%02xthread:1;", 2));
                    return null;
                }
                in.reset(); // not an interrupt: leave it for the packet reader
            }
        }
        lastStop = Interpreter.Stop.BUDGET;
        send(exitReply());
        return Outcome.GUEST_ENDED;
    }

    private boolean guestEnded() {
        return lastStop == Interpreter.Stop.HALTED || lastStop == Interpreter.Stop.SHUTDOWN
            || lastStop == Interpreter.Stop.REQUESTED;
    }

    private String exitReply() {
        return "W00";
    }

    private String breakpoint(boolean insert, String args) {
        String[] a = args.split(",");
        int type = Integer.parseInt(a[0]);
        if (type != 0 && type != 1) {
            return ""; // watchpoints are not supported
        }
        int addr = (int) Long.parseLong(a[1], 16);
        if (insert) {
            breakpoints.add(addr);
        } else {
            breakpoints.remove(addr);
        }
        return "OK";
    }

    // ---------------------------------------------------------------- registers

    private static final int[] GPR_ORDER = {Reg.EAX, Reg.ECX, Reg.EDX, Reg.EBX, Reg.ESP, Reg.EBP, Reg.ESI, Reg.EDI};
    private static final int[] SEG_ORDER = {Reg.CS, Reg.SS, Reg.DS, Reg.ES, Reg.FS, Reg.GS};

    /** Register {@code n} in GDB's i386 numbering as little-endian hex. */
    private String readRegister(int n) {
        if (n < 0 || n >= TargetDescription.REGISTER_COUNT) {
            return "E01";
        }
        int size = TargetDescription.sizeOf(n);
        long v = n < 8 ? cpu.r[GPR_ORDER[n]] : n == 8 ? cpu.eip : n == 9 ? cpu.eflags()
            : n < 16 ? cpu.sel[SEG_ORDER[n - 10]] : 0;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < size; i++) {
            b.append(String.format("%02x", i < 4 ? (v >>> (8 * i)) & 0xFF : 0));
        }
        return b.toString();
    }

    private String readRegisters() {
        StringBuilder b = new StringBuilder();
        for (int n = 0; n < TargetDescription.REGISTER_COUNT; n++) {
            b.append(readRegister(n));
        }
        return b.toString();
    }

    private void writeRegisters(String hex) {
        int pos = 0;
        for (int n = 0; n < TargetDescription.REGISTER_COUNT && pos < hex.length(); n++) {
            int size = TargetDescription.sizeOf(n);
            writeRegister(n, hex.substring(pos, Math.min(hex.length(), pos + 2 * size)));
            pos += 2 * size;
        }
    }

    private void writeRegister(int n, String hex) {
        if (n >= 16 || hex.length() < 8) {
            return; // x87 registers do not exist on this CPU
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16) << (8 * i);
        }
        if (n < 8) {
            cpu.r[GPR_ORDER[n]] = v;
        } else if (n == 8) {
            cpu.eip = v;
        } else if (n == 9) {
            cpu.setEflags(v, 0xFFFFFFFF);
        }
        // segment registers are not writable from the debugger (descriptor caches would lie)
    }

    // ---------------------------------------------------------------- memory

    /** Physical address of linear {@code lin} without side effects, or -1 if unmapped. */
    private long physical(int lin) {
        long r = cpu.mmu.translate(lin, 0, false);
        return r < 0 ? -1 : r & 0xFFFFFFFFL;
    }

    private String readMemory(String args) {
        String[] a = args.split(",");
        int addr = (int) Long.parseLong(a[0], 16);
        int len = Math.min(Integer.parseInt(a[1], 16), 0x1000);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < len; i++) {
            long pa = physical(addr + i);
            if (pa < 0) {
                return i == 0 ? "E14" : b.toString();
            }
            b.append(String.format("%02x", cpu.mem.read8(pa)));
        }
        return b.toString();
    }

    private String writeMemoryHex(String args) {
        int colon = args.indexOf(':');
        String[] a = args.substring(0, colon).split(",");
        int addr = (int) Long.parseLong(a[0], 16);
        int len = Integer.parseInt(a[1], 16);
        String data = args.substring(colon + 1);
        for (int i = 0; i < len; i++) {
            long pa = physical(addr + i);
            if (pa < 0) {
                return "E14";
            }
            cpu.mem.write8(pa, Integer.parseInt(data.substring(2 * i, 2 * i + 2), 16));
        }
        return "OK";
    }

    private String writeMemoryBinary(String args) {
        int colon = args.indexOf(':');
        String[] a = args.substring(0, colon).split(",");
        int addr = (int) Long.parseLong(a[0], 16);
        int len = Integer.parseInt(a[1], 16);
        String data = args.substring(colon + 1);
        for (int i = 0; i < len && i < data.length(); i++) {
            long pa = physical(addr + i);
            if (pa < 0) {
                return "E14";
            }
            cpu.mem.write8(pa, data.charAt(i) & 0xFF);
        }
        return "OK";
    }

}
