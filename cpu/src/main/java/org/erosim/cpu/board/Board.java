package org.erosim.cpu.board;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;
import org.erosim.cpu.Cpu;
import org.erosim.cpu.Interpreter;
import org.erosim.cpu.InterruptSource;
import org.erosim.cpu.IoBus;

/**
 * The bare-metal board test kernels run on: the devices QEMU and Bochs users expect at the
 * usual ISA ports, wired to one CPU.
 *
 * <pre>
 *  0x020-0x021, 0x0A0-0x0A1  8259A PIC pair (slave on IRQ 2), vectors 0x08 / 0x70 at reset
 *  0x040-0x043, 0x061        8254 PIT on emulated time; port B (gate 2, speaker, refresh)
 *  0x060, 0x064              keyboard controller: status, and 0xFE = pulse reset
 *  0x070-0x071               CMOS RAM and RTC (memory size, emulated clock)
 *  0x080, 0x190              POST code (last value kept for the run summary)
 *  0x092                     system control port A: fast A20 gate, bit 0 = reset
 *  0x0E9                     debug console: byte out to the console (reads 0xE9)
 *  0x0F4-0x0F7               isa-debug-exit: writing v ends the run with status (v<<1)|1
 *  0x3F8-0x3FF               COM1 16550A UART, IRQ 4
 *  0xCF9                     reset control: bit 2 with bit 1 set = reset
 * </pre>
 *
 * Any other port reads as all ones and ignores writes; each is counted for the summary.
 * A reset request ends the run (as QEMU with -no-reboot does).
 */
public final class Board implements IoBus, InterruptSource {
    /** How a run on this board ended, beyond the interpreter's own stop reasons. */
    public enum End {
        NONE,
        DEBUG_EXIT,
        RESET
    }

    private final Cpu cpu;
    private final long cpuHz;
    private final Pic8259 master = new Pic8259(true, 0x08);
    private final Pic8259 slave = new Pic8259(false, 0x70);
    private final Pit8254 pit = new Pit8254();
    private final Uart16550 com1;
    private final Cmos cmos;
    private final OutputStream debugConsole;
    private final Map<Integer, Long> unknownPorts = new TreeMap<>();
    private Interpreter interpreter;
    private End end = End.NONE;
    private int exitStatus;
    private int lastPost = -1;
    private long nextIrq0Tick = Long.MAX_VALUE;
    private long nextEventCycle = Long.MAX_VALUE;
    private boolean speakerData;
    private long debugConBytes;

    /**
     * @param serial where COM1 output goes
     * @param debugConsole where port 0xE9 output goes
     * @param serialIn COM1 receive data, or null
     */
    public Board(Cpu cpu, long cpuHz, long ramBytes, OutputStream serial, OutputStream debugConsole,
        InputStream serialIn) {
        this.cpu = cpu;
        this.cpuHz = cpuHz;
        this.debugConsole = debugConsole;
        this.com1 = new Uart16550(serial, serialIn, this::updateIrqLines);
        this.cmos = new Cmos(ramBytes);
        cpu.io = this;
        cpu.interrupts = this;
    }

    /** The interpreter to stop when the guest ends the run (isa-debug-exit, reset). */
    public void attach(Interpreter interpreter) {
        this.interpreter = interpreter;
    }

    public End end() {
        return end;
    }

    /** The isa-debug-exit status, (v << 1) | 1. */
    public int exitStatus() {
        return exitStatus;
    }

    /** Last POST code written to 0x80 or 0x190, or -1. */
    public int lastPostCode() {
        return lastPost;
    }

    /** Ports accessed that no device claims, with access counts (ascending port order). */
    public Map<Integer, Long> unknownPorts() {
        return unknownPorts;
    }

    public long serialBytes() {
        return com1.transmitted();
    }

    public long debugConsoleBytes() {
        return debugConBytes;
    }

    private long tick() {
        return Pit8254.ticks(cpu.cycles, cpuHz);
    }

    // ---------------------------------------------------------------- IoBus

    @Override
    public int in(int port, int size) {
        if (size == 1) {
            return in8(port);
        }
        if (size == 2) {
            return in8(port) | (in8(port + 1) << 8);
        }
        return in8(port) | (in8(port + 1) << 8) | (in8(port + 2) << 16) | (in8(port + 3) << 24);
    }

    @Override
    public void out(int port, int size, int value) {
        if (port >= 0xF4 && port <= 0xF7) {
            debugExit(value & (size == 4 ? -1 : size == 2 ? 0xFFFF : 0xFF));
            return;
        }
        for (int i = 0; i < size; i++) {
            out8((port + i) & 0xFFFF, (value >>> (8 * i)) & 0xFF);
        }
    }

    private int in8(int port) {
        port &= 0xFFFF;
        switch (port) {
            case 0x20:
            case 0x21:
                return master.read(port);
            case 0xA0:
            case 0xA1:
                return slave.read(port);
            case 0x40:
            case 0x41:
            case 0x42:
            case 0x43:
                return pit.read(port, tick());
            case 0x61: {
                long t = tick();
                int refresh = (int) ((t / 18) & 1) << 4; // toggles every ~15 us
                return (pit.gate2() ? 1 : 0) | (speakerData ? 2 : 0) | refresh | (pit.out2(t) ? 0x20 : 0);
            }
            case 0x60:
                return 0;
            case 0x64:
                return 0x1C; // input/output buffers empty, self-test passed, command last
            case 0x70:
                return 0xFF;
            case 0x71:
                return cmos.read(cpu.cycles / cpuHz);
            case 0x80:
            case 0x190:
                return lastPost & 0xFF;
            case 0x92:
                return cpu.mmu.a20Enabled() ? 0x02 : 0;
            case 0xE9:
                return 0xE9; // as QEMU's and Bochs's debugcon: lets a guest detect the port
            default:
                if (port >= 0x3F8 && port <= 0x3FF) {
                    return com1.read(port - 0x3F8);
                }
                unknown(port);
                return 0xFF;
        }
    }

    private void out8(int port, int v) {
        switch (port) {
            case 0x20:
            case 0x21:
                master.write(port, v);
                updateIrqLines();
                return;
            case 0xA0:
            case 0xA1:
                slave.write(port, v);
                updateIrqLines();
                return;
            case 0x40:
            case 0x41:
            case 0x42:
            case 0x43:
                pit.write(port, v, tick());
                rescheduleTimer();
                return;
            case 0x61:
                pit.setGate2((v & 1) != 0, tick());
                speakerData = (v & 2) != 0;
                return;
            case 0x60:
                return;
            case 0x64:
                if ((v & 0xFF) == 0xFE) {
                    reset();
                }
                return;
            case 0x70:
                cmos.selectIndex(v);
                return;
            case 0x71:
                cmos.write(v);
                return;
            case 0x80:
            case 0x190:
                lastPost = v & 0xFF;
                return;
            case 0x92:
                cpu.mmu.setA20((v & 0x02) != 0);
                if ((v & 0x01) != 0) {
                    reset();
                }
                return;
            case 0xE9:
                debugConBytes++;
                try {
                    debugConsole.write(v);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("console output failed", e);
                }
                return;
            case 0xCF9:
                if ((v & 0x04) != 0) {
                    reset();
                }
                return;
            default:
                if (port >= 0x3F8 && port <= 0x3FF) {
                    com1.write(port - 0x3F8, v);
                    return;
                }
                unknown(port);
        }
    }

    private void unknown(int port) {
        unknownPorts.merge(port, 1L, Long::sum);
    }

    private void debugExit(int v) {
        end = End.DEBUG_EXIT;
        exitStatus = (v << 1) | 1;
        if (interpreter != null) {
            interpreter.requestStop();
        }
    }

    private void reset() {
        end = End.RESET;
        if (interpreter != null) {
            interpreter.requestStop();
        }
    }

    // ---------------------------------------------------------------- interrupts

    /** Recomputes the PIC input levels from the devices (UART; the cascade line). */
    private void updateIrqLines() {
        master.setLine(4, com1.irq());
        master.setLine(2, slave.interruptOutput());
    }

    private void rescheduleTimer() {
        long now = tick();
        nextIrq0Tick = pit.nextIrq0Tick(now);
        nextEventCycle = Pit8254.cycleOf(nextIrq0Tick, cpuHz);
    }

    @Override
    public boolean pending() {
        return master.interruptOutput();
    }

    @Override
    public int acknowledge() {
        int irq = master.acknowledge();
        int vector;
        if (master.isCascade(irq)) {
            int s = slave.acknowledge();
            vector = slave.vector(s);
        } else {
            vector = master.vector(irq);
        }
        updateIrqLines();
        return vector;
    }

    @Override
    public long nextEventCycle() {
        return nextEventCycle;
    }

    @Override
    public void advanceTo(long cycle) {
        long now = Pit8254.ticks(cycle, cpuHz);
        if (now >= nextIrq0Tick) {
            // a rising edge of channel 0's output: latch IRQ 0 (edges closer than one
            // block boundary merge, as they would in the IRR)
            master.setLine(0, false);
            master.setLine(0, true);
            master.setLine(0, false);
        }
        nextIrq0Tick = pit.nextIrq0Tick(now);
        nextEventCycle = Pit8254.cycleOf(nextIrq0Tick, cpuHz);
    }
}
