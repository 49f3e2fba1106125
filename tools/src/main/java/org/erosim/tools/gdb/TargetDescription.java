package org.erosim.tools.gdb;

/**
 * The register layout the stub reports (GDB target description): GDB's i386 core feature.
 * The x87 registers are part of that feature; this CPU has no FPU, so they read as zero
 * and writes to them are ignored.
 */
final class TargetDescription {
    private TargetDescription() {
    }

    /** eax..edi, eip, eflags, cs, ss, ds, es, fs, gs, st0-st7, fctrl..fop. */
    static final int REGISTER_COUNT = 16 + 8 + 8;

    static int sizeOf(int n) {
        return n >= 16 && n < 24 ? 10 : 4;
    }

    static final String XML = "<?xml version=\"1.0\"?>\n"
        + "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
        + "<target version=\"1.0\">\n"
        + "  <architecture>i386</architecture>\n"
        + "  <feature name=\"org.gnu.gdb.i386.core\">\n"
        + "    <flags id=\"i386_eflags\" size=\"4\">\n"
        + "      <field name=\"CF\" start=\"0\" end=\"0\"/>\n"
        + "      <field name=\"\" start=\"1\" end=\"1\"/>\n"
        + "      <field name=\"PF\" start=\"2\" end=\"2\"/>\n"
        + "      <field name=\"AF\" start=\"4\" end=\"4\"/>\n"
        + "      <field name=\"ZF\" start=\"6\" end=\"6\"/>\n"
        + "      <field name=\"SF\" start=\"7\" end=\"7\"/>\n"
        + "      <field name=\"TF\" start=\"8\" end=\"8\"/>\n"
        + "      <field name=\"IF\" start=\"9\" end=\"9\"/>\n"
        + "      <field name=\"DF\" start=\"10\" end=\"10\"/>\n"
        + "      <field name=\"OF\" start=\"11\" end=\"11\"/>\n"
        + "      <field name=\"NT\" start=\"14\" end=\"14\"/>\n"
        + "      <field name=\"RF\" start=\"16\" end=\"16\"/>\n"
        + "      <field name=\"VM\" start=\"17\" end=\"17\"/>\n"
        + "      <field name=\"AC\" start=\"18\" end=\"18\"/>\n"
        + "      <field name=\"ID\" start=\"21\" end=\"21\"/>\n"
        + "    </flags>\n"
        + "    <reg name=\"eax\" bitsize=\"32\" type=\"int32\" regnum=\"0\"/>\n"
        + "    <reg name=\"ecx\" bitsize=\"32\" type=\"int32\"/>\n"
        + "    <reg name=\"edx\" bitsize=\"32\" type=\"int32\"/>\n"
        + "    <reg name=\"ebx\" bitsize=\"32\" type=\"int32\"/>\n"
        + "    <reg name=\"esp\" bitsize=\"32\" type=\"data_ptr\"/>\n"
        + "    <reg name=\"ebp\" bitsize=\"32\" type=\"data_ptr\"/>\n"
        + "    <reg name=\"esi\" bitsize=\"32\" type=\"int32\"/>\n"
        + "    <reg name=\"edi\" bitsize=\"32\" type=\"int32\"/>\n"
        + "    <reg name=\"eip\" bitsize=\"32\" type=\"code_ptr\"/>\n"
        + "    <reg name=\"eflags\" bitsize=\"32\" type=\"i386_eflags\"/>\n"
        + "    <reg name=\"cs\" bitsize=\"32\" type=\"int32\"/>\n"
        + "    <reg name=\"ss\" bitsize=\"32\" type=\"int32\"/>\n"
        + "    <reg name=\"ds\" bitsize=\"32\" type=\"int32\"/>\n"
        + "    <reg name=\"es\" bitsize=\"32\" type=\"int32\"/>\n"
        + "    <reg name=\"fs\" bitsize=\"32\" type=\"int32\"/>\n"
        + "    <reg name=\"gs\" bitsize=\"32\" type=\"int32\"/>\n"
        + "    <reg name=\"st0\" bitsize=\"80\" type=\"i387_ext\"/>\n"
        + "    <reg name=\"st1\" bitsize=\"80\" type=\"i387_ext\"/>\n"
        + "    <reg name=\"st2\" bitsize=\"80\" type=\"i387_ext\"/>\n"
        + "    <reg name=\"st3\" bitsize=\"80\" type=\"i387_ext\"/>\n"
        + "    <reg name=\"st4\" bitsize=\"80\" type=\"i387_ext\"/>\n"
        + "    <reg name=\"st5\" bitsize=\"80\" type=\"i387_ext\"/>\n"
        + "    <reg name=\"st6\" bitsize=\"80\" type=\"i387_ext\"/>\n"
        + "    <reg name=\"st7\" bitsize=\"80\" type=\"i387_ext\"/>\n"
        + "    <reg name=\"fctrl\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
        + "    <reg name=\"fstat\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
        + "    <reg name=\"ftag\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
        + "    <reg name=\"fiseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
        + "    <reg name=\"fioff\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
        + "    <reg name=\"foseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
        + "    <reg name=\"fooff\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
        + "    <reg name=\"fop\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
        + "  </feature>\n"
        + "</target>\n";
}
