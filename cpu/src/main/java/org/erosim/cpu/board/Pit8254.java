package org.erosim.cpu.board;

/**
 * Intel 8254 programmable interval timer clocked from emulated time: 1.193182 MHz against
 * the emulated CPU frequency, so a guest sees the same timer behaviour on every host and
 * every run (no host time leaks in).
 *
 * <p>Counters are evaluated lazily from the tick count at which they were loaded.
 * Implemented: the three channels, modes 0-5 (modes 1 and 5 wait for a gate edge, which
 * only channel 2 has, via port 0x61), LSB/MSB/LSB-then-MSB access, counter latch and
 * read-back (count and status) commands, binary counting (BCD counting is accepted and
 * treated as binary; documented), channel 2's gate and output on port 0x61. Channel 0's
 * output drives IRQ 0 through {@link #nextIrq0Tick}.
 */
final class Pit8254 {
    static final long PIT_HZ = 1_193_182L;

    private final Channel[] ch = {new Channel(), new Channel(), new Channel()};

    private static final class Channel {
        int mode;
        int access = 3;
        /** Reload value (1..65536). */
        int reload = 65536;
        /** Tick at which counting started, or -1 while waiting (no count / gate). */
        long start = -1;
        boolean gate = true;
        boolean writeHigh;
        boolean readHigh;
        int partial;
        boolean latched;
        int latchValue;
        boolean statusLatched;
        int status;
        boolean nullCount = true;
    }

    Pit8254() {
        ch[2].gate = false; // channel 2's gate is port 0x61 bit 0, clear at reset
    }

    /** PIT ticks elapsed by emulated cycle {@code cycle} at {@code cpuHz}. */
    static long ticks(long cycle, long cpuHz) {
        // exact and overflow-free: split into whole seconds and the remainder
        return (cycle / cpuHz) * PIT_HZ + (cycle % cpuHz) * PIT_HZ / cpuHz;
    }

    /** First emulated cycle at or after PIT tick {@code tick}. */
    static long cycleOf(long tick, long cpuHz) {
        if (tick == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long whole = tick / PIT_HZ;
        long rest = tick % PIT_HZ;
        if (whole > Long.MAX_VALUE / cpuHz - 1) {
            return Long.MAX_VALUE;
        }
        return whole * cpuHz + (rest * cpuHz + PIT_HZ - 1) / PIT_HZ;
    }

    int read(int port, long now) {
        if ((port & 3) == 3) {
            return 0xFF; // the control word register is write-only (read before indexing: there is no channel 3)
        }
        Channel c = ch[port & 3];
        if (c.statusLatched) {
            c.statusLatched = false;
            return c.status;
        }
        int value = c.latched ? c.latchValue : count(c, now);
        int out;
        switch (c.access) {
            case 1:
                out = value & 0xFF;
                c.latched = false;
                break;
            case 2:
                out = (value >>> 8) & 0xFF;
                c.latched = false;
                break;
            default:
                out = c.readHigh ? (value >>> 8) & 0xFF : value & 0xFF;
                if (c.readHigh) {
                    c.latched = false;
                }
                c.readHigh = !c.readHigh;
                break;
        }
        return out;
    }

    void write(int port, int v, long now) {
        v &= 0xFF;
        if ((port & 3) == 3) {
            control(v, now);
            return;
        }
        Channel c = ch[port & 3];
        switch (c.access) {
            case 1:
                load(c, v, now);
                break;
            case 2:
                load(c, v << 8, now);
                break;
            default:
                if (!c.writeHigh) {
                    c.partial = v;
                    c.writeHigh = true;
                    if (c.mode == 0) {
                        c.start = -1; // writing the first byte stops mode 0 counting
                    }
                } else {
                    c.writeHigh = false;
                    load(c, c.partial | (v << 8), now);
                }
                break;
        }
    }

    private void control(int v, long now) {
        int sc = v >>> 6;
        if (sc == 3) { // read-back
            for (int i = 0; i < 3; i++) {
                if ((v & (2 << i)) == 0) {
                    continue;
                }
                Channel c = ch[i];
                if ((v & 0x20) == 0 && !c.latched) {
                    c.latched = true;
                    c.latchValue = count(c, now);
                }
                if ((v & 0x10) == 0 && !c.statusLatched) {
                    c.statusLatched = true;
                    c.status = (output(c, now) ? 0x80 : 0) | (c.nullCount ? 0x40 : 0) | (c.access << 4) | (c.mode << 1);
                }
            }
            return;
        }
        Channel c = ch[sc];
        int access = (v >>> 4) & 3;
        if (access == 0) { // counter latch
            if (!c.latched) {
                c.latched = true;
                c.latchValue = count(c, now);
            }
            return;
        }
        c.access = access;
        int mode = (v >>> 1) & 7;
        c.mode = mode > 5 ? mode - 4 : mode;
        c.writeHigh = false;
        c.readHigh = false;
        c.latched = false;
        c.start = -1;
        c.nullCount = true;
    }

    private void load(Channel c, int value, long now) {
        c.reload = value == 0 ? 65536 : value;
        c.nullCount = false;
        if (c.mode == 1 || c.mode == 5) {
            return; // counting starts at the next gate rising edge
        }
        c.start = c.gate || c.mode == 0 || c.mode == 4 ? now + 1 : -1;
    }

    /** Current count of a channel at tick {@code now}. */
    private static int count(Channel c, long now) {
        if (c.start < 0 || now < c.start) {
            return c.reload & 0xFFFF;
        }
        long e = now - c.start;
        switch (c.mode) {
            case 2:
            case 3: {
                long r = e % c.reload;
                long v = c.reload - r;
                if (c.mode == 3) {
                    v = (v * 2) % c.reload; // decrements by two, twice per period
                }
                return (int) v & 0xFFFF;
            }
            default: // 0, 1, 4, 5: count down through zero and wrap
                return (int) ((c.reload - e) & 0xFFFF);
        }
    }

    /** OUT pin of a channel at tick {@code now}. */
    private static boolean output(Channel c, long now) {
        if (c.start < 0) {
            return c.mode != 0;
        }
        long e = now - c.start;
        switch (c.mode) {
            case 0:
            case 1:
                return e >= c.reload;
            case 2:
                return e % c.reload != c.reload - 1;
            case 3:
                return e % c.reload < (c.reload + 1) / 2;
            default: // 4, 5: low for one tick at terminal count
                return e != c.reload;
        }
    }

    // ---------------------------------------------------------------- channel 0 -> IRQ 0

    /** Tick of the next IRQ 0 rising edge after {@code now}, or Long.MAX_VALUE. */
    long nextIrq0Tick(long now) {
        Channel c = ch[0];
        if (c.start < 0) {
            return Long.MAX_VALUE;
        }
        long e = now - c.start;
        switch (c.mode) {
            case 0:
                return e < c.reload ? c.start + c.reload : Long.MAX_VALUE;
            case 2:
            case 3: {
                long periods = e < 0 ? 1 : e / c.reload + 1; // an edge ends each full period
                return c.start + periods * c.reload;
            }
            case 4:
                return e < c.reload + 1 ? c.start + c.reload + 1 : Long.MAX_VALUE;
            default:
                return Long.MAX_VALUE;
        }
    }


    // ---------------------------------------------------------------- port 0x61

    void setGate2(boolean level, long now) {
        Channel c = ch[2];
        boolean rising = level && !c.gate;
        c.gate = level;
        if (rising && !c.nullCount) {
            if (c.mode == 1 || c.mode == 5 || c.mode == 2 || c.mode == 3) {
                c.start = now + 1; // gate edge (re)triggers
            }
        } else if (!level && (c.mode == 2 || c.mode == 3)) {
            c.start = -1;
        }
    }

    boolean gate2() {
        return ch[2].gate;
    }

    boolean out2(long now) {
        return output(ch[2], now);
    }
}
