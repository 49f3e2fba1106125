/* demand-user: uses 16 pages at 0x30000000 (a kept red segment mapped there, all slots void
   at boot): writes a word to each page, which faults to the demand-zero keeper, then checks
   every page reads back its word and is otherwise zero. Then it touches the page just past
   the red segment's 16 initial slots, which the keeper declines: the fault goes on to this
   process's keeper. Register 1 = console. */
#include "erolib.h"

#define BASE ((volatile uint32_t *) 0x30000000u)
#define WORDS_PER_PAGE 1024u

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    struct ero_line l = {{0}, 0};
    for (uint32_t p = 0; p < 16; p++) {
        BASE[p * WORDS_PER_PAGE] = 0x1111u * (p + 1);
    }
    uint32_t bad = 0;
    for (uint32_t p = 0; p < 16; p++) {
        bad += BASE[p * WORDS_PER_PAGE] != 0x1111u * (p + 1);
        bad += BASE[p * WORDS_PER_PAGE + 1] != 0 || BASE[p * WORDS_PER_PAGE + WORDS_PER_PAGE - 1] != 0;
    }
    ero_line_str(&l, bad == 0 ? "demand-user: 16 pages, contents ok" : "demand-user: CONTENTS WRONG");
    ero_line_put(&l, 1);
    (void) BASE[16 * WORDS_PER_PAGE]; /* beyond the initial slots */
    ero_line_str(&l, "demand-user: the fault past the segment was not reported");
    ero_line_put(&l, 1);
    for (;;) {
    }
}
