package org.erosim.cpu.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import org.erosim.cpu.Cpu;
import org.erosim.cpu.Interpreter;
import org.erosim.mmu.PhysicalMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The board's devices at the register level: PIC initialisation, masking, priority and
 * EOI, the cascade; PIT counting and IRQ 0 timing on emulated time; the UART's registers;
 * CMOS memory sizes; the debug ports; unknown ports.
 */
class BoardTest {
    private static final long HZ = 100_000_000L;
    private PhysicalMemory mem;
    private Cpu cpu;
    private Board board;
    private ByteArrayOutputStream serial;
    private ByteArrayOutputStream debug;

    @BeforeEach
    void setUp() {
        mem = new PhysicalMemory(32L << 20);
        cpu = new Cpu(mem);
        serial = new ByteArrayOutputStream();
        debug = new ByteArrayOutputStream();
        board = new Board(cpu, HZ, 32L << 20, serial, debug, null);
        board.attach(new Interpreter(cpu));
    }

    @AfterEach
    void tearDown() {
        mem.close();
    }

    private void out(int port, int v) {
        board.out(port, 1, v);
    }

    private int in(int port) {
        return board.in(port, 1);
    }

    /** The usual PC initialisation: master at 0x20, slave at 0x28, cascade on IRQ 2. */
    private void initPics() {
        out(0x20, 0x11);
        out(0xA0, 0x11);
        out(0x21, 0x20);
        out(0xA1, 0x28);
        out(0x21, 0x04);
        out(0xA1, 0x02);
        out(0x21, 0x01);
        out(0xA1, 0x01);
    }

    @Test
    void picDeliversTheTimerAtItsVectorUntilEoi() {
        initPics();
        out(0x21, 0xFE); // only IRQ 0
        out(0x43, 0x34); // channel 0, lo/hi, mode 2
        out(0x40, 0xE8);
        out(0x40, 0x03); // 1000 ticks ~ 838 us
        assertFalse(board.pending());
        long next = board.nextEventCycle();
        assertTrue(next > 0 && next < Long.MAX_VALUE);
        assertEquals(Pit8254.cycleOf(1001, HZ), next, "the first edge after load + 1000 ticks");
        cpu.cycles = next;
        board.advanceTo(cpu.cycles);
        assertTrue(board.pending());
        assertEquals(0x20, board.acknowledge());
        assertFalse(board.pending(), "in service until EOI");
        out(0x20, 0x0B); // OCW3: read ISR
        assertEquals(0x01, in(0x20));
        out(0x20, 0x20); // EOI
        assertEquals(0x00, in(0x20));
        cpu.cycles = board.nextEventCycle();
        board.advanceTo(cpu.cycles);
        assertTrue(board.pending(), "periodic: the next edge");
    }

    @Test
    void maskedRequestsWaitInIrr() {
        initPics();
        out(0x21, 0xFF);
        out(0x43, 0x30); // channel 0 mode 0
        out(0x40, 10);
        out(0x40, 0);
        cpu.cycles = board.nextEventCycle();
        board.advanceTo(cpu.cycles);
        assertFalse(board.pending());
        out(0x20, 0x0A); // OCW3: read IRR
        assertEquals(0x01, in(0x20) & 0x01);
        out(0x21, 0xFE);
        assertTrue(board.pending());
    }

    @Test
    void masksReadBackOnBothControllersAfterInitialisation() {
        initPics();
        out(0x21, 0xFB);
        out(0xA1, 0xEF);
        assertEquals(0xEF, in(0xA1));
        assertEquals(0xFB, in(0x21));
    }

    /**
     * Found by BootFuzzTest (its input read-of-the-pit-control-port): IN from port 0x43 threw
     * an ArrayIndexOutOfBoundsException out of the emulator. The control word register is
     * write-only; a read gives 0xFF and changes nothing.
     */
    @Test
    void readingThePitControlPortGivesAllOnesAndChangesNothing() {
        out(0x43, 0x34);
        out(0x40, 0x00);
        out(0x40, 0x10);
        assertEquals(0xFF, in(0x43));
        cpu.cycles = Pit8254.cycleOf(1 + 96, HZ);
        out(0x43, 0x00); // latch channel 0: the read above disturbed no channel
        assertEquals(4096 - 96, in(0x40) | in(0x40) << 8);
    }

    /**
     * Every port, every access size, read and written with seeded random values in a seeded
     * random order of reads and writes: a guest's port I/O ends in a value or a device's
     * state change, never a host exception (the PIT control-port read above was one). The
     * debug-exit ports 0xF4-0xF7 only end the run.
     */
    @Test
    void everyPortAndSizeReadsAndWritesWithoutAHostException() {
        java.util.Random random = new java.util.Random(0x10_B0A4D);
        initPics();
        for (int round = 0; round < 2; round++) {
            for (int port = 0; port <= 0xFFFF; port++) {
                int size = 1 << random.nextInt(3);
                if (random.nextBoolean()) {
                    int v = board.in(port, size);
                    assertTrue(size == 4 || (v >>> (8 * size)) == 0, "port " + port + " size " + size + " read " + v);
                } else {
                    board.out(port, size, random.nextInt());
                }
                cpu.cycles += random.nextInt(1000);
            }
        }
    }

    @Test
    void pitLatchAndReadBack() {
        out(0x43, 0x34);
        out(0x40, 0x00);
        out(0x40, 0x10); // 4096
        cpu.cycles = Pit8254.cycleOf(1 + 96, HZ);
        out(0x43, 0x00); // latch channel 0
        int lo = in(0x40);
        int hi = in(0x40);
        assertEquals(4096 - 96, lo | (hi << 8));
        out(0x43, 0xE2); // read-back status of channel 0
        int status = in(0x40);
        assertEquals(0x34 & 0x3F, status & 0x3F, "access and mode");
    }

    @Test
    void channel2OutputShowsOnPort61() {
        out(0x61, 0x01); // gate 2 on
        out(0x43, 0xB0); // channel 2, lo/hi, mode 0
        out(0x42, 100);
        out(0x42, 0);
        assertEquals(0, in(0x61) & 0x20);
        cpu.cycles = Pit8254.cycleOf(200, HZ);
        assertEquals(0x20, in(0x61) & 0x20, "terminal count reached");
    }

    @Test
    void uartTransmitsAndReportsAnEmptyTransmitter() {
        out(0x3FB, 0x80); // DLAB
        out(0x3F8, 0x01);
        out(0x3F9, 0x00);
        assertEquals(0x01, in(0x3F8));
        out(0x3FB, 0x03);
        out(0x3F8, 'h');
        out(0x3F8, 'i');
        assertEquals("hi", serial.toString());
        assertEquals(0x60, in(0x3FD) & 0x61, "THR and transmitter empty, no data");
        out(0x3FF, 0x5A);
        assertEquals(0x5A, in(0x3FF), "scratch register");
    }

    @Test
    void uartLoopbackEchoesAndInterruptsOnIrq4() {
        initPics();
        out(0x21, 0xEF); // only IRQ 4
        out(0x3FC, 0x18); // loopback + OUT2
        out(0x3F9, 0x01); // receive interrupt
        out(0x3F8, 'x');
        assertEquals(0x01, in(0x3FD) & 0x01);
        assertTrue(board.pending());
        assertEquals(0x24, board.acknowledge());
        assertEquals(0x04, in(0x3FA) & 0x0F, "received data available");
        assertEquals('x', in(0x3F8));
        assertEquals(0x01, in(0x3FA) & 0x0F, "no interrupt pending");
    }

    @Test
    void cmosReportsMemorySizes() {
        out(0x70, 0x15);
        int base = in(0x71);
        out(0x70, 0x16);
        base |= in(0x71) << 8;
        assertEquals(640, base);
        out(0x70, 0x17);
        int ext = in(0x71);
        out(0x70, 0x18);
        ext |= in(0x71) << 8;
        assertEquals(31 * 1024, ext, "KiB above 1 MiB of 32 MiB");
        out(0x70, 0x34);
        int high = in(0x71);
        out(0x70, 0x35);
        high |= in(0x71) << 8;
        assertEquals((32 - 16) * 16, high, "64 KiB blocks above 16 MiB");
    }

    @Test
    void cmosClockRunsOnEmulatedTime() {
        cpu.cycles = 61 * HZ; // 00:01:01 on 2000-01-01
        out(0x70, 0x00);
        assertEquals(0x01, in(0x71), "seconds in BCD");
        out(0x70, 0x02);
        assertEquals(0x01, in(0x71), "minutes in BCD");
        out(0x70, 0x09);
        assertEquals(0x00, in(0x71), "year 2000");
    }

    @Test
    void debugPortsAndExitAndPost() {
        out(0xE9, 'k');
        assertEquals("k", debug.toString());
        assertEquals(0xE9, in(0xE9));
        out(0x80, 0x42);
        assertEquals(0x42, board.lastPostCode());
        board.out(0xF4, 4, 0x10);
        assertEquals(Board.End.DEBUG_EXIT, board.end());
        assertEquals(33, board.exitStatus());
    }

    @Test
    void unknownPortsReadAllOnesAndAreCounted() {
        assertEquals(0xFF, in(0x300));
        assertEquals(0xFFFF, board.in(0x300, 2));
        out(0x301, 1);
        assertEquals(2L, board.unknownPorts().get(0x300));
        assertEquals(2L, board.unknownPorts().get(0x301), "read by the word access, then written");
    }

    @Test
    void resetThroughTheKeyboardControllerEndsTheRun() {
        out(0x64, 0xFE);
        assertEquals(Board.End.RESET, board.end());
    }

    @Test
    void port92TogglesA20() {
        out(0x92, 0x00);
        assertFalse(cpu.mmu.a20Enabled());
        assertEquals(0, in(0x92) & 2);
        out(0x92, 0x02);
        assertTrue(cpu.mmu.a20Enabled());
    }
}
