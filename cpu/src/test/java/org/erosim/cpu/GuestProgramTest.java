package org.erosim.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * Base of the tests that run one scenario of a guest program (cpu/src/test/guest/NAME.S)
 * from real mode and inspect the exceptions its ring-0 handler logged.
 */
abstract class GuestProgramTest {
    private final String program;
    protected GuestMachine m;

    protected GuestProgramTest(String program) {
        this.program = program;
    }

    @AfterEach
    void closeMachine() {
        if (m != null) {
            m.close();
        }
    }

    /** Runs scenario {@code scenario} to its clean exit (port 0xF4, code 0) and returns the events. */
    protected List<GuestMachine.Event> run(int scenario) {
        m = GuestMachine.load(program).scenario(scenario).startReal();
        m.run();
        assertEquals(Interpreter.Stop.REQUESTED, m.stop(), m::describe);
        assertEquals(0, m.exitCode(), m::describe);
        return m.events();
    }

    /** Asserts one ring-0 event: vector, error code (0 if none) and the saved EIP at a label. */
    protected void event(GuestMachine.Event e, int vector, int error, String eipLabel) {
        String why = m.describe();
        assertEquals(vector, e.vector(), why);
        assertEquals(error, e.error(), why);
        assertEquals(m.sym(eipLabel), e.eip(), why);
    }
}
