/* run-faulter: commits the fault its number key (register 2, word 0) selects, so that a
   process keeper sees every fault code a guest can cause: 0 INT3 then INTO with OF set
   (both traps, restarted by run-keeper) then UD2; 1 divide by zero; 2 a read of an
   unmapped address; 3 a write to its own read-only text; 4 an invocation with a malformed
   descriptor; 5 INT 0x80 (no such gate: #GP); 6 a segment-register load (flat only: #GP);
   7 BOUND out of range (#BR); 8 an ordinary loop (its image gives it no schedule key);
   9 a read through its segment mapped at 0x40000000 after storing a start key in slot 0
   of it (register 4: node key to that segment, 5: any start key): MALFORMED_SPACE;
   10 a read through the red segment mapped at 0x50000000 after making it its own
   background (register 6: node key to it): the walk loops, TRAVERSE_LIMIT.
   Key registers: 1 = console, 2 = number key. Prints "faulter K: continued after traps"
   when a restarted trap returns to it. Proves the fault side of the keeper protocol. */
#include "erosim.h"

#define CONSOLE 1
#define KIND 2

volatile uint32_t zero;
static volatile uint32_t sink;
static int32_t bounds[2] = {0, 3};

static void say(const char *s)
{
    unsigned n = 0;
    while (s[n]) {
        n++;
    }
    ero_console_write(CONSOLE, s, n);
}

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_desc d = {0};
    struct ero_msg m = {{ERO_OC_NUMBER_GET, 0, 0, 0}, 0, 0};
    ero_call(&d, KIND, &m);
    switch (m.w[1]) {
    case 0:
        __asm__ volatile("int3");
        __asm__ volatile("movl $0x7fffffff, %%eax\n\taddl $1, %%eax\n\tinto" ::: "eax", "cc");
        say("faulter 0: continued after traps\n");
        __asm__ volatile("ud2");
        break;
    case 1:
        sink = 100u / zero;
        break;
    case 2:
        sink = *(volatile uint32_t *) 0xDEAD0000u;
        break;
    case 3:
        *(volatile uint8_t *) (uintptr_t) &_start = 0x90;
        break;
    case 4: {
        struct ero_desc bad = {0};
        bad.inv_type = 99;
        ero_invoke(&bad, &m);
        break;
    }
    case 5:
        __asm__ volatile("int $0x80");
        break;
    case 6:
        __asm__ volatile("movw $8, %%ax\n\tmovw %%ax, %%ds" ::: "eax");
        break;
    case 7:
        __asm__ volatile("movl $5, %%eax\n\tboundl %%eax, %0" :: "m"(bounds) : "eax");
        break;
    case 9: {
        struct ero_desc sd = {0};
        ero_send_keys(&sd, 5, 0, 0, 0);
        ero_msg_set(&m, ERO_OC_NODE_SWAP_SLOT, 0, 0, 0);
        ero_call(&sd, 4, &m);
        sink = *(volatile uint32_t *) 0x40000000u;
        break;
    }
    case 10: {
        struct ero_desc md = {0};
        ero_rcv_keys(&md, 7, 0, 0, 0);
        ero_msg_set(&m, ERO_OC_NODE_MAKE_SEGMENT_KEY, 1, 0, 0);
        ero_call(&md, 6, &m);
        struct ero_desc sd = {0};
        ero_send_keys(&sd, 7, 0, 0, 0);
        ero_msg_set(&m, ERO_OC_NODE_SWAP_SLOT, 5, 0, 0);
        ero_call(&sd, 6, &m);
        sink = *(volatile uint32_t *) 0x50000000u;
        break;
    }
    default:
        for (;;) {
            sink++;
        }
    }
    say("faulter: the fault did not happen\n");
    for (;;) {
    }
}
