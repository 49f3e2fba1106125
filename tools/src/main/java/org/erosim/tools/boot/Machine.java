package org.erosim.tools.boot;

import java.io.InputStream;
import java.io.OutputStream;
import org.erosim.cpu.Cpu;
import org.erosim.cpu.CycleTable;
import org.erosim.cpu.Interpreter;
import org.erosim.cpu.board.Board;
import org.erosim.mmu.PhysicalMemory;

/**
 * A bare-metal machine: RAM, one CPU and the board, ready to boot a Multiboot kernel or a
 * BIOS-replacement ROM and run it to its end. The {@code boot} command and the tests use
 * this same class, so tests exercise the CLI's code path.
 */
public final class Machine implements AutoCloseable {
    /** How a run ended, with the process exit status that goes with it. */
    public enum EndReason {
        /** The guest wrote to isa-debug-exit: status (v << 1) | 1. */
        DEBUG_EXIT("isa-debug-exit"),
        /** HLT with interrupts disabled: status 0. */
        HALTED("halted"),
        /** Triple fault: status 3. */
        TRIPLE_FAULT("triple fault"),
        /** --max-instructions reached: status 124. */
        INSTRUCTION_LIMIT("instruction limit reached"),
        /** Keyboard-controller or 0xCF9 reset (as QEMU -no-reboot): status 0. */
        RESET("reset requested");

        public final String text;

        EndReason(String text) {
            this.text = text;
        }
    }

    public static final long DEFAULT_RAM = 64L << 20;
    public static final long DEFAULT_MHZ = 100;

    public final PhysicalMemory mem;
    public final Cpu cpu;
    public final Interpreter interpreter;
    public final Board board;
    private final long cpuHz;

    public Machine(long ramBytes, long cpuMhz, CycleTable cycles, OutputStream serial, OutputStream debugConsole,
        InputStream serialIn) {
        this.mem = new PhysicalMemory(ramBytes);
        this.cpu = new Cpu(mem, cycles);
        this.interpreter = new Interpreter(cpu);
        this.cpuHz = cpuMhz * 1_000_000L;
        this.board = new Board(cpu, cpuHz, ramBytes, serial, debugConsole, serialIn);
        board.attach(interpreter);
    }

    public long cpuHz() {
        return cpuHz;
    }

    /** Loads a Multiboot ELF kernel; the CPU starts at its entry point. */
    public void bootMultiboot(String file, byte[] image, String commandLine) throws BootException {
        MultibootLoader.load(file, image, mem, cpu, commandLine);
    }

    /** Maps a BIOS-replacement ROM; the CPU starts from its reset state at F000:FFF0. */
    public void bootRom(String file, byte[] rom) throws BootException {
        if (rom.length == 0 || rom.length % 65536 != 0 || rom.length > (16 << 20)) {
            throw new BootException(String.format(
                "%s: a ROM image must be a non-zero multiple of 64 KiB up to 16 MiB (this one is %d bytes)", file,
                rom.length));
        }
        mem.mapRom(rom);
        cpu.reset();
        cpu.mmu.setA20(true);
    }

    /**
     * Runs until the guest ends the run or a budget of {@code maxInstructions} is spent:
     * instructions, and accepted interrupts and device events idled to in HLT (Interpreter).
     */
    public EndReason run(long maxInstructions) {
        // Counted in the interpreter's units: counting instructions alone, a guest halted with
        // IF set whose timer requests are masked never reached the limit (found by BootFuzzTest).
        long start = interpreter.budgetUsed();
        while (true) {
            long left = maxInstructions - (interpreter.budgetUsed() - start);
            if (left <= 0) {
                return EndReason.INSTRUCTION_LIMIT;
            }
            Interpreter.Stop stop = interpreter.run(left);
            EndReason r = endOf(stop);
            if (r != null) {
                return r;
            }
        }
    }

    /** Maps an interpreter stop to the end of the run, or null if the run goes on. */
    public EndReason endOf(Interpreter.Stop stop) {
        switch (stop) {
            case SHUTDOWN:
                return EndReason.TRIPLE_FAULT;
            case HALTED:
                return EndReason.HALTED;
            case REQUESTED:
                return board.end() == Board.End.RESET ? EndReason.RESET
                    : board.end() == Board.End.DEBUG_EXIT ? EndReason.DEBUG_EXIT : null;
            default:
                return null;
        }
    }

    /** The process exit status for a run that ended with {@code reason}. */
    public int exitStatus(EndReason reason) {
        switch (reason) {
            case DEBUG_EXIT:
                return board.exitStatus();
            case TRIPLE_FAULT:
                return 3;
            case INSTRUCTION_LIMIT:
                return 124;
            default:
                return 0;
        }
    }

    @Override
    public void close() {
        mem.close();
    }
}
