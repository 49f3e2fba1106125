package org.erosim.cpu.board;

/**
 * One Intel 8259A programmable interrupt controller (the board has a master at 0x20 and a
 * slave at 0xA0 cascaded on IRQ 2).
 *
 * <p>Implemented: the ICW1-ICW4 initialisation sequence, edge-triggered requests, the
 * interrupt mask (OCW1), non-specific and specific EOI and rotation commands (OCW2),
 * reading IRR/ISR and poll mode (OCW3), automatic EOI, special mask mode, fully nested
 * priority with a rotatable lowest priority, and spurious IRQ 7 when a request vanishes
 * before acknowledgement. Level-triggered mode (ELCR) is not modelled: all inputs are
 * edges, as the ISA devices on this board are.
 */
final class Pic8259 {
    private int irr;
    private int isr;
    private int imr = 0xFF;
    /** Last level seen per input, for edge detection. */
    private int lines;
    private int vectorBase;
    private int lowestPriority = 7;
    private boolean autoEoi;
    private boolean readIsr;
    private boolean poll;
    private boolean specialMask;
    private boolean single;
    private boolean expectIcw4;
    /** Next initialisation word expected (0 = operational). */
    private int initStep;
    /** Inputs that are cascaded to a slave (master: bit 2). */
    private int cascadeInputs;
    private final boolean master;

    Pic8259(boolean master, int defaultVectorBase) {
        this.master = master;
        this.vectorBase = defaultVectorBase;
    }

    /** Drives input {@code irq} to {@code level}; a rising edge latches a request. */
    void setLine(int irq, boolean level) {
        int bit = 1 << irq;
        if (level) {
            if ((lines & bit) == 0) {
                irr |= bit;
            }
            lines |= bit;
        } else {
            lines &= ~bit;
        }
    }

    /** Highest-priority request that is unmasked and not blocked by a service in progress, or -1. */
    int pendingIrq() {
        int req = irr & ~imr;
        if (req == 0) {
            return -1;
        }
        for (int k = 1; k <= 8; k++) {
            int irq = (lowestPriority + k) & 7;
            int bit = 1 << irq;
            if (!specialMask && (isr & bit) != 0) {
                return -1; // an equal or higher priority interrupt is in service
            }
            if ((req & bit) != 0) {
                return irq;
            }
        }
        return -1;
    }

    boolean interruptOutput() {
        return pendingIrq() >= 0;
    }

    /**
     * INTA: moves the best request to in-service and returns its IRQ number, or 7 for a
     * spurious interrupt (the request went away).
     */
    int acknowledge() {
        int irq = pendingIrq();
        if (irq < 0) {
            return 7;
        }
        irr &= ~(1 << irq);
        if (!autoEoi) {
            isr |= 1 << irq;
        } else if (rotateOnAutoEoi) {
            lowestPriority = irq;
        }
        return irq;
    }

    private boolean rotateOnAutoEoi;

    int vector(int irq) {
        return (vectorBase & 0xF8) | irq;
    }

    boolean isCascade(int irq) {
        return (cascadeInputs & (1 << irq)) != 0;
    }

    int read(int port) {
        if (poll) {
            poll = false;
            int irq = pendingIrq();
            if (irq < 0) {
                return 0;
            }
            acknowledge();
            return 0x80 | irq;
        }
        if ((port & 1) == 1) {
            return imr;
        }
        return readIsr ? isr : irr;
    }

    void write(int port, int v) {
        v &= 0xFF;
        if ((port & 1) == 0) {
            if ((v & 0x10) != 0) { // ICW1
                initStep = 2;
                single = (v & 0x02) != 0;
                expectIcw4 = (v & 0x01) != 0;
                imr = 0;
                isr = 0;
                irr = 0;
                lowestPriority = 7;
                specialMask = false;
                readIsr = false;
                autoEoi = false;
                return;
            }
            if ((v & 0x08) == 0) { // OCW2
                ocw2(v);
            } else { // OCW3
                if ((v & 0x02) != 0) {
                    readIsr = (v & 0x01) != 0;
                }
                poll = (v & 0x04) != 0;
                if ((v & 0x40) != 0) {
                    specialMask = (v & 0x20) != 0;
                }
            }
            return;
        }
        switch (initStep) {
            case 2: // ICW2: vector base
                vectorBase = v & 0xF8;
                initStep = single ? (expectIcw4 ? 4 : 0) : 3;
                return;
            case 3: // ICW3: cascade wiring
                cascadeInputs = master ? v : 0;
                initStep = expectIcw4 ? 4 : 0;
                return;
            case 4: // ICW4
                autoEoi = (v & 0x02) != 0;
                initStep = 0;
                return;
            default: // OCW1: mask
                imr = v;
                return;
        }
    }

    private void ocw2(int v) {
        int cmd = v >>> 5;
        int level = v & 7;
        switch (cmd) {
            case 1: { // non-specific EOI
                int irq = highestInService();
                if (irq >= 0) {
                    isr &= ~(1 << irq);
                }
                break;
            }
            case 3: // specific EOI
                isr &= ~(1 << level);
                break;
            case 5: { // rotate on non-specific EOI
                int irq = highestInService();
                if (irq >= 0) {
                    isr &= ~(1 << irq);
                    lowestPriority = irq;
                }
                break;
            }
            case 4: // rotate in automatic EOI mode (set)
                rotateOnAutoEoi = true;
                break;
            case 0: // rotate in automatic EOI mode (clear)
                rotateOnAutoEoi = false;
                break;
            case 6: // set priority
                lowestPriority = level;
                break;
            case 7: // rotate on specific EOI
                isr &= ~(1 << level);
                lowestPriority = level;
                break;
            default: // 2: no operation
                break;
        }
    }

    private int highestInService() {
        for (int k = 1; k <= 8; k++) {
            int irq = (lowestPriority + k) & 7;
            if ((isr & (1 << irq)) != 0) {
                return irq;
            }
        }
        return -1;
    }
}
