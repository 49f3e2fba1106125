/* run-map: reads and writes memory that an image's `map` statements put into its own
   address space (run-map.erosys, MapStatementTest). One program, two roles, chosen by the
   number key in key register 3 (w1 = 0: reader, 1: zeroer).
   Key registers: 1 = console, 2 = systrace, 3 = number (role); the zeroer's 8 and 9 hold
   spare zero pages, given in the image (the test is about the faults, not about
   making pages: RANGE NEW_PAGE would do as well).

   The reader's space holds, besides the program:
     0x10000000  map = page note             the note, writable
     0x20000000  map = segment pair read-only pair's slot 3 holds the note too
     0x30000000  map = segment demand        a kept red segment of height 1, all slots void
   It prints the note's first line as read at 0x10000000, capitalises its first byte there
   and prints the line again as read through the other map at 0x20003000 (the same page).
   Then it writes a word into demand's page 5 and reads a word of its page 6: both slots
   are void, so each access faults to the red segment's keeper, the zeroer, which puts a
   zero page there; the access restarts and succeeds. The reader prints both words and
   ends the run with STOP_RUN 0 if everything read was right, else 1.

   The zeroer waits for SEGMENT_FAULT upcalls (w1 = fault code, w2:w3 = offset in the red
   segment, key 2 = node key to it into register 5, key 3 = fault resume key into 6),
   swaps its next spare zero page into the slot the offset falls in, prints one line per
   upcall and restarts the faulter (reply 0 through 6; with no spare left it declines,
   reply 1, and the fault goes on to the reader's process keeper). */
#include "erolib.h"

#define CONSOLE 1
#define SYSTRACE 2
#define ROLE 3
#define SEGMENT 5
#define FAULT_KEY 6
#define SPARES 8
#define SPARE_COUNT 2

#define NOTE_AT 0x10000000u
#define PAIR_AT 0x20000000u
#define DEMAND_AT 0x30000000u

static unsigned bad;

/* A pointer to a fixed address, hidden from gcc's bounds analysis (which warns on
   constant addresses) by an empty asm. */
static volatile char *at(uintptr_t address)
{
    volatile char *p = (volatile char *) address;
    __asm__("" : "+r"(p));
    return p;
}

/* Prints `what` and the line (up to '\n', at most 60 bytes) at address. */
static void print_line(const char *what, uintptr_t address)
{
    volatile char *p = at(address);
    struct ero_line l = {{0}, 0};
    ero_line_str(&l, what);
    for (unsigned i = 0; i < 60 && p[i] != '\n' && p[i] != 0; i++) {
        l.buf[l.len++] = p[i];
    }
    ero_line_put(&l, CONSOLE);
}

static void print_word(const char *what, uint32_t v, uint32_t expected)
{
    struct ero_line l = {{0}, 0};
    ero_line_str(&l, what);
    ero_line_hex(&l, v);
    ero_line_put(&l, CONSOLE);
    bad |= v != expected;
}

static void reader(void)
{
    print_line("page: ", NOTE_AT);
    bad |= at(NOTE_AT)[0] != 'a';
    at(NOTE_AT)[0] = 'A';
    print_line("segment: ", PAIR_AT + 3 * 4096);
    bad |= at(PAIR_AT + 3 * 4096)[0] != 'A';
    volatile uint32_t *written = (volatile uint32_t *) at(DEMAND_AT + 5 * 4096);
    *written = 0x1234;                                  /* faults: page 5 is void */
    print_word("demand page 5 holds ", *written, 0x1234);
    volatile uint32_t *read = (volatile uint32_t *) at(DEMAND_AT + 6 * 4096 + 4);
    print_word("demand page 6 holds ", *read, 0);       /* faults: page 6 is void */
    struct ero_desc d = {0};
    struct ero_msg m;
    ero_msg_set(&m, ERO_OC_SYSTRACE_STOP_RUN, bad ? 1 : 0, 0, 0);
    ero_call(&d, SYSTRACE, &m);
}

/* Puts the next spare zero page (registers SPARES.., SPARE_COUNT of them) into slot `slot`
   of the red segment in register SEGMENT; ERO_RC_NO_RESOURCES when none is left. */
static uint32_t supply_page(uint32_t slot)
{
    static unsigned used;
    if (used == SPARE_COUNT) {
        return ERO_RC_NO_RESOURCES;
    }
    struct ero_desc d = {0};
    struct ero_msg m;
    ero_send_keys(&d, SPARES + used++, 0, 0, 0);
    ero_msg_set(&m, ERO_OC_NODE_SWAP_SLOT, slot, 0, 0);
    return ero_call(&d, SEGMENT, &m);
}

static void zeroer(void)
{
    struct ero_desc d = {0};
    struct ero_msg m = {{0, 0, 0, 0}, 0, 0};
    ero_rcv_keys(&d, 0, 0, SEGMENT, FAULT_KEY);
    uint32_t order = ero_return(&d, 0, &m);            /* wait for the first upcall */
    for (;;) {
        uint32_t code = m.w[1];
        uint32_t offset = m.w[2];
        struct ero_line l = {{0}, 0};
        ero_line_str(&l, order == ERO_FC_SEGMENT_FAULT ? "zeroer: fault " : "zeroer: WRONG ORDER fault ");
        ero_line_hex(&l, code);
        ero_line_str(&l, " at offset ");
        ero_line_hex(&l, offset);
        uint32_t rc = supply_page(offset >> 12);
        ero_line_str(&l, rc == ERO_RC_OK ? ", page supplied" : ", no page");
        ero_line_put(&l, CONSOLE);
        ero_msg_set(&m, rc == ERO_RC_OK ? ERO_RC_OK : 1, 0, 0, 0);
        order = ero_return(&d, FAULT_KEY, &m);         /* restart the faulter, wait for the next */
    }
}

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_desc d = {0};
    struct ero_msg m;
    ero_msg_set(&m, ERO_OC_NUMBER_GET, 0, 0, 0);
    ero_call(&d, ROLE, &m);
    if (m.w[1] == 0) {
        reader();
    } else {
        zeroer();
    }
    for (;;) {
        ero_return(&d, 0, &m);
    }
}
