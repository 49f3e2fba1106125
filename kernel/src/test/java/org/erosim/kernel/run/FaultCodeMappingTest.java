package org.erosim.kernel.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.erosim.cpu.Vector;
import org.erosim.kernel.abi.FaultCode;
import org.junit.jupiter.api.Test;

/** abi.md §5: how ring-3 exceptions and stray software interrupts become process fault codes. */
class FaultCodeMappingTest {
    @Test
    void namedExceptionsGetTheirAbiCodes() {
        assertEquals(FaultCode.DIV_ZERO, KernelMachine.faultCodeOf(Vector.DE, false));
        assertEquals(FaultCode.BAD_OPCODE, KernelMachine.faultCodeOf(Vector.UD, false));
        assertEquals(FaultCode.BREAKPOINT, KernelMachine.faultCodeOf(Vector.BP, true));
    }

    @Test
    void otherVectorsAreVectorBasePlusTheVector() {
        assertEquals(0x10D, KernelMachine.faultCodeOf(Vector.GP, false));
        assertEquals(0x10E, KernelMachine.faultCodeOf(Vector.PF, false));
        assertEquals(0x104, KernelMachine.faultCodeOf(Vector.OF, true));
    }

    @Test
    void softwareInterruptOtherThanTheTrapIsAGeneralProtectionFault() {
        // INT 0x80 from ring 3 with an empty IDT is #GP on hardware.
        assertEquals(FaultCode.VECTOR_BASE + Vector.GP, KernelMachine.faultCodeOf(0x80, true));
    }

    @Test
    void faultNamesForReports() {
        assertEquals("DIV_ZERO", KernelMachine.faultName(FaultCode.DIV_ZERO));
        assertEquals("MALFORMED_SYSCALL", KernelMachine.faultName(FaultCode.MALFORMED_SYSCALL));
        assertEquals("VECTOR_" + Vector.name(Vector.GP), KernelMachine.faultName(0x10D));
    }
}
