/*
 * pit: timer interrupts through the PIC. The kernel reprograms the 8259A pair to vectors
 * 0x20/0x28 and the 8254's channel 0 as a 1 kHz rate generator, then sleeps in HLT. Each
 * IRQ 0 must arrive at vector 0x20 with IRQ 0 in service (ISR) until the EOI, with the
 * saved EIP after the HLT. A pending IRQ must show in the IRR while IF=0 or while masked
 * in the IMR, and be delivered once allowed. The PIT counter must count down, and
 * channel 2's output (port 0x61 bit 5) must rise at terminal count in mode 0.
 */
#include "rt.h"

const char test_name[] = "pit";

#define PIC1 0x20
#define PIC2 0xA0
#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_B  0x61
#define DIVISOR 1193          /* 1.193182 MHz / 1193 = 1 kHz */
#define TICKS   10

void wait_irq(void);
extern char wait_irq_next[];

static volatile u32 ticks;
static u32 first_vector, first_isr, after_eoi_isr, first_eflags, wrong_eip;

static void remap_pic(void) {
    outb(PIC1, 0x11); outb(PIC2, 0x11);   /* ICW1: edge, cascade, ICW4 follows */
    outb(PIC1 + 1, 0x20); outb(PIC2 + 1, 0x28);   /* ICW2: vector bases */
    outb(PIC1 + 1, 0x04); outb(PIC2 + 1, 0x02);   /* ICW3: slave on IRQ 2 */
    outb(PIC1 + 1, 0x01); outb(PIC2 + 1, 0x01);   /* ICW4: 8086 mode */
    outb(PIC1 + 1, 0xFE); outb(PIC2 + 1, 0xFF);   /* only IRQ 0 */
}

static u8 pic_isr(void) { outb(PIC1, 0x0B); return inb(PIC1); }
static u8 pic_irr(void) { outb(PIC1, 0x0A); return inb(PIC1); }

static u32 pit_count0(void) {
    outb(PIT_CMD, 0x00);   /* latch channel 0 */
    u32 lo = inb(PIT_CH0);
    return lo | ((u32)inb(PIT_CH0) << 8);
}

/* Waits for channel 0 to reload n times. */
static void wait_periods(u32 n) {
    u32 prev = pit_count0();
    while (n) {
        u32 now = pit_count0();
        if (now > prev)
            n--;
        prev = now;
    }
}

/*
 * Polls the IRR for IRQ 0 for up to a second of PIT periods. (QEMU raises the IRQ from a
 * host timer that may lag the count the guest reads, so one period is not always enough.)
 */
static u32 wait_irr(void) {
    for (u32 i = 0; i < 1000; i++) {
        if (pic_irr() & 1)
            return 1;
        wait_periods(1);
    }
    return 0;
}

static void on_timer(struct frame *f) {
    if (ticks == 0) {
        first_vector = f->vector;
        first_isr = pic_isr();
        first_eflags = read_eflags();
    }
    if (f->eip != (u32)wait_irq_next)
        wrong_eip++;
    ticks++;
    f->eflags &= ~EFLAGS_IF;   /* exactly one interrupt per wait_irq, however late the timer */
    outb(PIC1, 0x20);          /* non-specific EOI */
    if (ticks == 1)
        after_eoi_isr = pic_isr();
}

static void check_pit_counts(void) {
    printf("8254 channel 0, mode 2, divisor %u\n", DIVISOR);
    u32 a = pit_count0();
    check_true("latched count within 1..divisor", a >= 1 && a <= DIVISOR);
    u32 b;
    do
        b = pit_count0();
    while (b == a);
    check_true("count changes", b >= 1 && b <= DIVISOR);
}

static void check_interrupts(void) {
    printf("IRQ 0 with HLT\n");
    for (u32 i = 0; i < TICKS; i++)
        wait_irq();
    check_u("ticks taken", ticks, TICKS);
    check("vector", first_vector, 0x20);
    check("ISR in the handler (IRQ 0 in service)", first_isr & 1, 1);
    check("ISR after the EOI", after_eoi_isr & 1, 0);
    check("EFLAGS.IF in the handler", first_eflags & EFLAGS_IF, 0);
    check_u("interrupts whose saved EIP was not after the HLT", wrong_eip, 0);
}

static void check_pending(void) {
    printf("pending IRQ 0\n");
    check("IRR bit 0 while IF=0", wait_irr(), 1);
    u32 before = ticks;
    wait_irq();
    check_u("delivered after STI", ticks - before, 1);
    outb(PIC1 + 1, 0xFF);
    write_eflags(read_eflags() | EFLAGS_IF);
    before = ticks;
    u32 pending = wait_irr();
    wait_periods(2);
    write_eflags(read_eflags() & ~EFLAGS_IF);
    check("IRR bit 0 while masked in the IMR", pending, 1);
    check_u("delivered while masked with IF=1", ticks - before, 0);
    outb(PIC1 + 1, 0xFE);
    wait_irq();
    check_u("delivered after unmasking", ticks - before, 1);
}

static void check_channel2(void) {
    printf("8254 channel 2, mode 0, through port 0x61\n");
    outb(PORT_B, (inb(PORT_B) & ~0x03) | 0x01);   /* gate 2 on, speaker off */
    outb(PIT_CMD, 0xB0);                           /* channel 2, lo/hi, mode 0 */
    outb(PIT_CH2, 0x00);
    outb(PIT_CH2, 0x10);                           /* 4096 counts, about 3.4 ms */
    check("OUT2 right after loading the count", inb(PORT_B) & 0x20, 0);
    while (!(inb(PORT_B) & 0x20))
        ;
    check("OUT2 at terminal count", inb(PORT_B) & 0x20, 0x20);
}

void test_main(void) {
    cpu_init();
    remap_pic();
    printf("8259A pair remapped to 0x20/0x28\n");
    check("master IMR", inb(PIC1 + 1), 0xFE);
    check("slave IMR", inb(PIC2 + 1), 0xFF);
    set_handler(0x20, on_timer);
    outb(PIT_CMD, 0x34);   /* channel 0, lo/hi, mode 2 */
    outb(PIT_CH0, DIVISOR & 0xFF);
    outb(PIT_CH0, DIVISOR >> 8);
    check_pit_counts();
    check_interrupts();
    check_pending();
    check_channel2();
}
