package org.erosim.cpu;

/**
 * The model-specific registers this CPU implements: the time-stamp counter (0x10), the
 * APIC base (0x1B, read-only, no APIC present), and the SYSENTER registers (0x174-0x176,
 * stored but SYSENTER itself is not reported by CPUID). Others raise #GP(0).
 */
public final class Msrs {
    public static final int TSC = 0x10;
    public static final int APIC_BASE = 0x1B;
    public static final int SYSENTER_CS = 0x174;
    public static final int SYSENTER_ESP = 0x175;
    public static final int SYSENTER_EIP = 0x176;

    long sysenterCs;
    long sysenterEsp;
    long sysenterEip;

    void reset() {
        sysenterCs = 0;
        sysenterEsp = 0;
        sysenterEip = 0;
    }

    /** True if this CPU implements MSR {@code msr} (RDMSR/WRMSR of others raise #GP(0)). */
    static boolean exists(int msr) {
        return msr == TSC || msr == APIC_BASE || (msr >= SYSENTER_CS && msr <= SYSENTER_EIP);
    }

    long read(Cpu c, int msr) {
        switch (msr) {
            case TSC:
                return c.tsc();
            case SYSENTER_CS:
                return sysenterCs;
            case SYSENTER_ESP:
                return sysenterEsp;
            case SYSENTER_EIP:
                return sysenterEip;
            default:
                return 0; // APIC_BASE: no local APIC
        }
    }

    /** Writes an existing MSR; writes to read-only ones are ignored. */
    void write(Cpu c, int msr, long v) {
        switch (msr) {
            case TSC:
                c.setTsc(v);
                break;
            case SYSENTER_CS:
                sysenterCs = v & 0xFFFF;
                break;
            case SYSENTER_ESP:
                sysenterEsp = v & 0xFFFFFFFFL;
                break;
            case SYSENTER_EIP:
                sysenterEip = v & 0xFFFFFFFFL;
                break;
            default:
                break;
        }
    }
}
