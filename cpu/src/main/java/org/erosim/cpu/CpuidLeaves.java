package org.erosim.cpu;

/**
 * CPUID: a P6-family integer core without an FPU.
 *
 * <p>Leaf 0: maximum leaf 1, vendor "GenuineIntel" (what guest kernels key family-6
 * behaviour on). Leaf 1: family 6, model 3, stepping 3; features DE (debug extensions),
 * PSE (4 MiB pages), TSC, MSR, CX8 (CMPXCHG8B), PGE and CMOV. FPU, VME, APIC, SEP, MTRR,
 * MMX and SSE are absent. Higher leaves return zeros.
 */
final class CpuidLeaves {
    private CpuidLeaves() {
    }

    static final int FEATURES = (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 8) | (1 << 13) | (1 << 15);
    static final int SIGNATURE = 0x633;

    static void execute(Cpu c) {
        int leaf = c.r[Reg.EAX];
        switch (leaf) {
            case 0:
                c.r[Reg.EAX] = 1;
                c.r[Reg.EBX] = 0x756E6547; // "Genu"
                c.r[Reg.EDX] = 0x49656E69; // "ineI"
                c.r[Reg.ECX] = 0x6C65746E; // "ntel"
                break;
            case 1:
                c.r[Reg.EAX] = SIGNATURE;
                c.r[Reg.EBX] = 0;
                c.r[Reg.ECX] = 0;
                c.r[Reg.EDX] = FEATURES;
                break;
            default:
                c.r[Reg.EAX] = 0;
                c.r[Reg.EBX] = 0;
                c.r[Reg.ECX] = 0;
                c.r[Reg.EDX] = 0;
                break;
        }
    }
}
