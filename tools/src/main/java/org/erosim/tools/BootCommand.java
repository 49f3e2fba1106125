package org.erosim.tools;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.erosim.cpu.CycleTable;
import org.erosim.tools.boot.BootException;
import org.erosim.tools.boot.Machine;
import org.erosim.tools.gdb.GdbStub;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code erosim boot}: runs a bare-metal test kernel (Multiboot ELF) or a BIOS-replacement ROM. */
@Command(name = "boot", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Boot a bare-metal kernel: a Multiboot v1 ELF32 file (like qemu-system-i386 -kernel) or, with",
        "--bios, a BIOS-replacement ROM started from the reset vector (like qemu -bios / Bochs romimage).",
        "COM1 and the 0xE9 debug console print to stdout. Exit status: the isa-debug-exit status (v<<1)|1;",
        "0 when the CPU halts with interrupts off (or a reset is requested); 3 on a triple fault;",
        "124 when --max-instructions is reached; 2 for bad input."})
final class BootCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "KERNEL.elf", description = "Multiboot ELF32 kernel.")
    Path kernel;

    @Option(names = "--bios", paramLabel = "ROM.bin", description = "Boot this ROM image (a multiple of 64 KiB) instead.")
    Path bios;

    @Option(names = "--mem", paramLabel = "SIZE", defaultValue = "64M",
        description = "RAM size, e.g. 64M, 512M, 3G (default ${DEFAULT-VALUE}; at most 3G).")
    String mem;

    @Option(names = "--max-instructions", paramLabel = "N",
        description = "End the run with status 124 after N instructions; accepted interrupts and the timer "
            + "events a HLT idles to count too (default: no limit).")
    Long maxInstructions;

    @Option(names = "--append", paramLabel = "ARGS", defaultValue = "",
        description = "Kernel command line passed in the Multiboot information.")
    String append;

    @Option(names = "--serial", paramLabel = "FILE", description = "Write COM1 output to FILE instead of stdout.")
    Path serial;

    @Option(names = "--stdin", description = "Feed standard input to COM1's receiver (off by default, so a "
        + "run never waits on or consumes a terminal it was not asked to read).")
    boolean stdin;

    @Option(names = "--trace", paramLabel = "FILE",
        description = "Write an instruction trace (disassembly and registers) to FILE.")
    Path trace;

    @Option(names = "--trace-limit", paramLabel = "N", defaultValue = "1000000",
        description = "Most instructions traced (default ${DEFAULT-VALUE}); the run continues untraced.")
    long traceLimit;

    @Option(names = "--cpu-mhz", paramLabel = "MHZ", defaultValue = "100",
        description = "Emulated clock frequency: RDTSC rate and PIT timing (default ${DEFAULT-VALUE}).")
    long cpuMhz;

    @Option(names = "--cycles", paramLabel = "FILE",
        description = "Override entries of the i486 timing table (properties file with the same keys).")
    Path cycles;

    @Option(names = "--gdb", paramLabel = "PORT",
        description = "Wait for a GDB remote connection on 127.0.0.1:PORT before running (0: any free port).")
    Integer gdbPort;

    @Option(names = "--stats", description = "Print the run summary to stderr: instructions, cycles, IPC, MIPS, "
        + "exit reason, last POST code, unknown ports.")
    boolean stats;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if ((kernel == null) == (bios == null)) {
            throw new UsageException("boot needs exactly one of KERNEL.elf or --bios ROM.bin");
        }
        long ram = parseSize(mem);
        if (cpuMhz <= 0 || cpuMhz > 100_000) {
            throw new UsageException("--cpu-mhz must be between 1 and 100000, got " + cpuMhz);
        }
        if (maxInstructions != null && maxInstructions <= 0) {
            throw new UsageException("--max-instructions must be positive, got " + maxInstructions);
        }
        Path image = kernel != null ? kernel : bios;
        byte[] bytes = readImage(image);
        CycleTable table = CycleTable.defaults();
        if (cycles != null) {
            try {
                table = table.withOverrides(cycles);
            } catch (NoSuchFileException e) {
                throw new UsageException(cycles + ": no such file");
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        OutputStream stdout = new ConsoleStream(spec.commandLine().getOut());
        OutputStream serialOut = serial != null ? openSerial(serial) : stdout;
        try (Machine m = new Machine(ram, cpuMhz, table, serialOut, stdout, stdin ? System.in : null)) {
            try {
                if (kernel != null) {
                    m.bootMultiboot(kernel.toString(), bytes, (kernel.getFileName() + " " + append).trim());
                } else {
                    m.bootRom(bios.toString(), bytes);
                }
            } catch (BootException e) {
                throw new UsageException(e.getMessage());
            }
            long limit = maxInstructions != null ? maxInstructions : Long.MAX_VALUE;
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long t0 = System.nanoTime();
            long cpu0 = threads.getCurrentThreadCpuTime();
            Machine.EndReason end = runWith(m, limit, err);
            long wall = System.nanoTime() - t0;
            long cpuTime = threads.getCurrentThreadCpuTime() - cpu0;
            stdout.flush();
            serialOut.flush();
            int status = m.exitStatus(end);
            if (end == Machine.EndReason.TRIPLE_FAULT) {
                err.println("erosim: triple fault: " + m.cpu.shutdownReason);
                err.println(m.cpu);
            }
            if (stats) {
                printStats(err, m, end, status, wall, cpuTime);
            }
            err.flush();
            return status;
        } finally {
            if (serialOut != stdout) {
                serialOut.close();
            }
        }
    }

    private Machine.EndReason runWith(Machine m, long limit, PrintWriter err) throws IOException {
        if (gdbPort != null) {
            GdbStub stub = new GdbStub(m.cpu, m.interpreter, limit);
            GdbStub.Outcome o = stub.listen(gdbPort, err);
            if (o == GdbStub.Outcome.KILLED) {
                return Machine.EndReason.HALTED;
            }
            if (o == GdbStub.Outcome.GUEST_ENDED) {
                Machine.EndReason r = m.endOf(stub.lastStop());
                return r != null ? r : Machine.EndReason.INSTRUCTION_LIMIT;
            }
        }
        if (trace == null) {
            return m.run(limit - Math.min(limit, m.interpreter.budgetUsed())); // what a GDB session spent
        }
        try (PrintWriter tw = new PrintWriter(Files.newBufferedWriter(trace, StandardCharsets.UTF_8))) {
            org.erosim.tools.boot.Tracing t = new org.erosim.tools.boot.Tracing(tw, traceLimit);
            return t.run(m, limit);
        } catch (IOException e) {
            throw new UsageException(trace + ": cannot write trace: " + e.getMessage());
        }
    }

    /**
     * Guest console bytes to the command's output writer, one char per byte (the CLI's
     * writer is ISO-8859-1, so bytes pass through unchanged), flushed at each newline.
     */
    private static final class ConsoleStream extends OutputStream {
        private final PrintWriter w;

        ConsoleStream(PrintWriter w) {
            this.w = w;
        }

        @Override
        public void write(int b) {
            w.write(b & 0xFF);
            if (b == '\n') {
                w.flush();
            }
        }

        @Override
        public void flush() {
            w.flush();
        }
    }

    private static OutputStream openSerial(Path p) {
        try {
            return new BufferedOutputStream(Files.newOutputStream(p));
        } catch (IOException e) {
            throw new UsageException(p + ": cannot write serial output: " + e.getMessage());
        }
    }

    private static byte[] readImage(Path p) {
        try {
            if (Files.isDirectory(p)) {
                throw new UsageException(p + ": is a directory");
            }
            if (Files.size(p) > (256L << 20)) {
                throw new UsageException(p + ": larger than 256 MiB; not a kernel or ROM image");
            }
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new UsageException(p + ": no such file");
        } catch (IOException e) {
            throw new UsageException(p + ": cannot read: " + e.getMessage());
        }
    }

    /** Parses 64M, 512m, 3G, 1048576 (bytes); must be a multiple of 4 KiB, 1 MiB .. 3 GiB. */
    static long parseSize(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        long mult = 1;
        if (t.endsWith("K") || t.endsWith("M") || t.endsWith("G")) {
            char u = t.charAt(t.length() - 1);
            mult = u == 'K' ? 1L << 10 : u == 'M' ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
        }
        long v;
        try {
            v = Long.parseLong(t) * mult;
        } catch (NumberFormatException e) {
            throw new UsageException("--mem: not a size: '" + s + "' (use e.g. 64M or 1G)");
        }
        if (v < (1L << 20) || v > (3L << 30) || (v & 0xFFF) != 0) {
            throw new UsageException("--mem must be a multiple of 4 KiB between 1M and 3G, got " + s);
        }
        return v;
    }

    private void printStats(PrintWriter err, Machine m, Machine.EndReason end, int status, long wallNanos,
        long cpuNanos) {
        long insns = m.cpu.instructions;
        long cyc = m.cpu.cycles;
        double secs = wallNanos / 1e9;
        err.printf("exit:           %s (status %d)%n", end.text, status);
        err.printf("instructions:   %,d%n", insns);
        err.printf("cycles:         %,d (%.6f s at %d MHz)%n", cyc, cyc / (double) m.cpuHz(), cpuMhz);
        err.printf("IPC:            %.3f%n", cyc == 0 ? 0.0 : insns / (double) cyc);
        double cpuSecs = cpuNanos / 1e9;
        err.printf("host time:      %.3f s wall, %.1f MIPS; %.3f s CPU of the emulation thread, %.1f MIPS%n", secs,
            secs == 0 ? 0.0 : insns / secs / 1e6, cpuSecs, cpuSecs <= 0 ? 0.0 : insns / cpuSecs / 1e6);
        err.printf("code cache:     %,d instructions decoded, %,d blocks compiled, %,d invalidations%n",
            m.cpu.codeCache.blocksDecoded(), m.cpu.codeCache.compiledBlocks(), m.cpu.codeCache.invalidations());
        err.printf("dispatch:       %.1f%% of instructions in compiled blocks; %,d block lookups, %,d linked%n",
            insns == 0 ? 0.0 : 100.0 * m.interpreter.compiledInstructions() / insns, m.interpreter.blockLookups(),
            m.interpreter.blockLinkHits());
        int post = m.board.lastPostCode();
        err.printf("last POST code: %s%n", post < 0 ? "none" : String.format("0x%02x", post));
        Map<Integer, Long> unknown = m.board.unknownPorts();
        if (unknown.isEmpty()) {
            err.println("unknown ports:  none");
        } else {
            StringBuilder b = new StringBuilder();
            unknown.forEach((port, n) -> b.append(String.format(" 0x%x(%d)", port, n)));
            err.println("unknown ports: " + b);
        }
    }

}
