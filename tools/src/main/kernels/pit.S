/* void wait_irq(void): STI; HLT; CLI. The STI shadow makes HLT start before any IRQ. */
        .text
        .globl wait_irq, wait_irq_next
wait_irq:
        sti
        hlt
wait_irq_next:
        cli
        ret
