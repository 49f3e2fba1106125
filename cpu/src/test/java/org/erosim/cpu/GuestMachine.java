package org.erosim.cpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.erosim.mmu.PhysicalMemory;

/**
 * A bare machine for guest test programs: {@link PhysicalMemory}, a {@link Cpu} and its
 * {@link Interpreter}, and an I/O bus with the two debug devices of the test board: port
 * 0xE9 (debug console, bytes are collected as text) and port 0xF4 (isa-debug-exit, the
 * written value becomes {@link #exitCode()} and ends the run), plus a test interrupt line:
 * OUT 0xEA, v requests external interrupt v from the next instruction boundary on, OUT 0xEB
 * from the boundary after the next instruction; the request stays pending until acknowledged.
 *
 * <p>Programs are the flat binaries that {@code src/test/guest/build.sh} builds into
 * {@code guest/NAME.bin} on the test classpath, with their symbol tables in
 * {@code NAME.sym}; {@link #sym} resolves guest labels so tests can read and write guest
 * variables. Programs that include {@code pm.inc} log every exception they take in
 * {@code exc_log}; {@link #events()} decodes it.
 */
final class GuestMachine implements AutoCloseable {
    static final long RAM = 16L << 20;
    static final long DEFAULT_BUDGET = 2_000_000;

    final PhysicalMemory mem;
    final Cpu cpu;
    final Interpreter interpreter;
    private final Map<String, Integer> symbols;
    private final int org;
    private final StringBuilder console = new StringBuilder();
    private int exitCode = -1;
    private Interpreter.Stop stop;
    /** The test interrupt line: vector requested by OUT 0xEA/0xEB, or -1. */
    private int irqVector = -1;
    private boolean irqHold;
    private int irqHoldEip;

    private GuestMachine(byte[] image, Map<String, Integer> symbols) {
        this.symbols = symbols;
        this.org = symbols.getOrDefault("__org", 0x10000);
        this.mem = new PhysicalMemory(RAM);
        this.cpu = new Cpu(mem);
        this.interpreter = new Interpreter(cpu);
        cpu.io = new IoBus() {
            @Override
            public int in(int port, int size) {
                return IoBus.OPEN_BUS.in(port, size);
            }

            @Override
            public void out(int port, int size, int value) {
                if (port == 0xE9) {
                    console.append((char) (value & 0xFF));
                } else if (port == 0xEA || port == 0xEB) {
                    // EIP already addresses the next instruction: 0xEB holds the request
                    // until execution has moved past it
                    irqVector = value & 0xFF;
                    irqHold = port == 0xEB;
                    irqHoldEip = cpu.eip;
                } else if (port == 0xF4) {
                    exitCode = value & 0xFF;
                    interpreter.requestStop();
                }
            }
        };
        cpu.interrupts = new InterruptSource() {
            @Override
            public boolean pending() {
                if (irqHold && cpu.eip != irqHoldEip) {
                    irqHold = false;
                }
                return irqVector >= 0 && !irqHold;
            }

            @Override
            public int acknowledge() {
                int v = irqVector;
                irqVector = -1;
                return v;
            }
        };
        mem.writeBytes(org, image, 0, image.length);
    }

    /** Loads guest program {@code name} at its origin. */
    static GuestMachine load(String name) {
        byte[] image = resource(name + ".bin");
        Map<String, Integer> syms = new HashMap<>();
        for (String line : new String(resource(name + ".sym"), StandardCharsets.US_ASCII).split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 2 && !f[0].isEmpty()) {
                syms.put(f[1], (int) Long.parseLong(f[0], 16));
            }
        }
        return new GuestMachine(image, syms);
    }

    private static byte[] resource(String file) {
        try (InputStream in = GuestMachine.class.getResourceAsStream("/guest/" + file)) {
            if (in == null) {
                throw new IllegalStateException("guest program file not built: guest/" + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int origin() {
        return org;
    }

    /** Address of a guest label. */
    int sym(String name) {
        Integer a = symbols.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no guest symbol " + name);
        }
        return a;
    }

    /** Selects the scenario a {@code pm.inc} program runs (its {@code scenario} variable). */
    GuestMachine scenario(int n) {
        write32(sym("scenario"), n);
        return this;
    }

    /** Real mode at the image origin, as CS:IP = origin / 16 : origin % 16. */
    GuestMachine startReal() {
        cpu.reset();
        cpu.loadSegmentReal(Reg.CS, org >>> 4);
        cpu.eip = org & 0xF;
        cpu.r[Reg.ESP] = 0xFFFE;
        return this;
    }

    /**
     * Directly in 32-bit protected mode at {@code entry}: CR0.PE, CS = 0x08 and SS/DS/ES/FS/GS
     * = 0x10 with flat 4 GiB caches (the selectors of pm.inc), GDTR = the given table.
     */
    GuestMachine start32(int entry, int gdtBase, int gdtLimit, int esp) {
        cpu.reset();
        cpu.gdtBase = gdtBase;
        cpu.gdtLimit = gdtLimit;
        cpu.setCr0(cpu.cr0 | Cpu.CR0_PE);
        cpu.setSegmentCache(Reg.CS, 0x08, 0, -1, 0xC09B);
        for (int s : new int[] {Reg.ES, Reg.SS, Reg.DS, Reg.FS, Reg.GS}) {
            cpu.setSegmentCache(s, 0x10, 0, -1, 0xC093);
        }
        cpu.updateMode();
        cpu.eip = entry;
        cpu.r[Reg.ESP] = esp;
        return this;
    }

    Interpreter.Stop run() {
        return run(DEFAULT_BUDGET);
    }

    Interpreter.Stop run(long budget) {
        stop = interpreter.run(budget);
        return stop;
    }

    Interpreter.Stop stop() {
        return stop;
    }

    /** The value written to port 0xF4, or -1. */
    int exitCode() {
        return exitCode;
    }

    String console() {
        return console.toString();
    }

    int read32(int pa) {
        return mem.read32(pa & 0xFFFFFFFFL);
    }

    int read16(int pa) {
        return mem.read16(pa & 0xFFFFFFFFL);
    }

    int read8(int pa) {
        return mem.read8(pa & 0xFFFFFFFFL);
    }

    void write32(int pa, int v) {
        mem.write32(pa & 0xFFFFFFFFL, v);
    }

    /** Dword {@code n} of the {@code results} array of a pm.inc program. */
    int result(int n) {
        return read32(sym("results") + 4 * n);
    }

    /** One exception or interrupt taken by a pm.inc program, as isr_common logged it. */
    record Event(int vector, int error, int[] frame, int cr2, int eax, int ecx, int edx, int ebx, int ebp,
        int esi, int edi, int frameAddr, int ds, int es, int handlerSs, int dr6, int handlerFlags) {
        int eip() {
            return frame[0];
        }

        int cs() {
            return frame[1] & 0xFFFF;
        }

        int eflags() {
            return frame[2];
        }

        int esp() {
            return frame[3];
        }

        int ss() {
            return frame[4] & 0xFFFF;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(String.format("%s err=%x eip=%x cs=%x efl=%x", Vector.name(vector),
                error, frame[0], frame[1], frame[2]));
            b.append(String.format(" [%x %x %x %x %x %x] cr2=%x eax=%x ecx=%x esi=%x edi=%x at=%x ss=%x", frame[3],
                frame[4], frame[5], frame[6], frame[7], frame[8], cr2, eax, ecx, esi, edi, frameAddr, handlerSs));
            return b.toString();
        }
    }

    List<Event> events() {
        int n = read32(sym("log_count"));
        int base = sym("exc_log");
        List<Event> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int a = base + 128 * k;
            int[] w = new int[25];
            for (int i = 0; i < w.length; i++) {
                w[i] = read32(a + 4 * i);
            }
            int[] frame = new int[9];
            System.arraycopy(w, 2, frame, 0, 9);
            out.add(new Event(w[0], w[1], frame, w[11], w[12], w[13], w[14], w[15], w[16], w[17], w[18], w[19],
                w[20], w[21], w[22], w[23], w[24]));
        }
        return out;
    }

    /** A one-paragraph account of the run, for assertion messages. */
    String describe() {
        StringBuilder b = new StringBuilder();
        b.append("stop=").append(stop).append(" exit=").append(exitCode);
        if (cpu.shutdown) {
            b.append(" shutdown: ").append(cpu.shutdownReason);
        }
        b.append("\nconsole: ").append(console).append('\n').append(cpu).append('\n');
        if (symbols.containsKey("log_count")) {
            for (Event e : events()) {
                b.append("  ").append(e).append('\n');
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        mem.close();
    }
}
