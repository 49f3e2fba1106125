package org.erosim.cpu.board;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A National Semiconductor 16550A UART (COM1 at 0x3F8, IRQ 4).
 *
 * <p>Transmission is instantaneous: a byte written to THR goes straight to the run's
 * console and the line status always shows the transmitter empty. Received bytes come from
 * an optional input (stdin), read only when the guest asks and never blocking. Registers:
 * RBR/THR, IER, IIR/FCR, LCR (DLAB), MCR (loopback included), LSR, MSR, SCR and the divisor
 * latch. Interrupts: received data available and THR empty, reported through IIR by
 * priority, on IRQ 4 when MCR.OUT2 is set.
 */
final class Uart16550 {
    private final OutputStream out;
    private final InputStream in;
    private final Runnable irqChanged;
    private int ier;
    private int lcr = 0x03;
    private int mcr;
    private int scr;
    private int dll = 0x0C;
    private int dlm;
    private int fcr;
    /** THR-empty interrupt pending (cleared by reading IIR or writing THR). */
    private boolean threPending;
    private int rx = -1;
    private boolean inputEnded;
    private long transmitted;

    Uart16550(OutputStream out, InputStream in, Runnable irqChanged) {
        this.out = out;
        this.in = in;
        this.irqChanged = irqChanged;
    }

    long transmitted() {
        return transmitted;
    }

    private boolean rxReady() {
        if (rx < 0 && in != null && !inputEnded) {
            try {
                if (in.available() > 0) {
                    rx = in.read();
                    if (rx < 0) {
                        inputEnded = true;
                    }
                }
            } catch (IOException e) {
                inputEnded = true;
            }
        }
        return rx >= 0;
    }

    /** IRQ 4 line: an enabled interrupt condition exists and OUT2 gates it to the PIC. */
    boolean irq() {
        return (mcr & 0x08) != 0 && interruptId() != 1;
    }

    private int interruptId() {
        if ((ier & 0x01) != 0 && rxReady()) {
            return 0x04;
        }
        if ((ier & 0x02) != 0 && threPending) {
            return 0x02;
        }
        return 0x01;
    }

    int read(int reg) {
        boolean dlab = (lcr & 0x80) != 0;
        switch (reg & 7) {
            case 0:
                if (dlab) {
                    return dll;
                }
                int v = rxReady() ? rx : 0;
                rx = -1;
                irqChanged.run();
                return v;
            case 1:
                return dlab ? dlm : ier;
            case 2: {
                int id = interruptId();
                if (id == 0x02) {
                    threPending = false;
                    irqChanged.run();
                }
                return id | ((fcr & 1) != 0 ? 0xC0 : 0);
            }
            case 3:
                return lcr;
            case 4:
                return mcr;
            case 5:
                return 0x60 | (rxReady() ? 0x01 : 0); // THR and transmitter always empty
            case 6:
                if ((mcr & 0x10) != 0) { // loopback: outputs appear on the inputs
                    return ((mcr & 0x02) << 3) | ((mcr & 0x01) << 5) | ((mcr & 0x04) << 4) | ((mcr & 0x08) << 4);
                }
                return 0xB0; // DCD, DSR, CTS asserted
            default:
                return scr;
        }
    }

    void write(int reg, int v) {
        v &= 0xFF;
        boolean dlab = (lcr & 0x80) != 0;
        switch (reg & 7) {
            case 0:
                if (dlab) {
                    dll = v;
                    return;
                }
                if ((mcr & 0x10) != 0) {
                    rx = v; // loopback
                } else {
                    emit(v);
                }
                threPending = true;
                irqChanged.run();
                return;
            case 1:
                if (dlab) {
                    dlm = v;
                } else {
                    boolean threNewlyEnabled = (ier & 0x02) == 0 && (v & 0x02) != 0;
                    ier = v & 0x0F;
                    if (threNewlyEnabled) {
                        threPending = true; // the transmitter is already empty
                    }
                    irqChanged.run();
                }
                return;
            case 2:
                fcr = v & 0xC9;
                return;
            case 3:
                lcr = v;
                return;
            case 4:
                mcr = v & 0x1F;
                irqChanged.run();
                return;
            case 7:
                scr = v;
                return;
            default:
                return; // LSR and MSR are read-only
        }
    }

    private void emit(int b) {
        transmitted++;
        try {
            out.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException("serial output failed", e);
        }
    }
}
