/*
 * compute: a fixed, deterministic integer workload for comparing emulator speed, run
 * with paging on (identity-mapped 4 KiB pages, so every access is translated). It sorts
 * pseudo-random keys (quicksort), computes table-driven CRC-32 over a buffer, and sieves
 * primes, then prints a checksum over all results. The checksum depends only on the
 * work, never on timing, so it must be the same on every correct CPU; the kernel passes
 * when it matches the value recorded for its size and the parts check out on their own
 * (keys sorted, CRC-32 check value, the known prime count).
 *
 * "size=small" on the command line selects a short run for tests; the default size is
 * meant to take one to three billion instructions.
 */
#include "rt.h"

const char test_name[] = "compute";

struct size {
    const char *name;
    u32 sort_keys, sort_rounds;
    u32 crc_bytes, crc_rounds;
    u32 sieve_limit, sieve_rounds, primes;   /* primes: pi(sieve_limit), known */
    u32 checksum;                            /* recorded from a reference run */
};

static const struct size sizes[] = {
    { "small", 16384, 1, 65536, 4, 1000000, 1, 78498, 0x34EF35E7 },
    { "full", 1048576, 3, 1048576, 96, 10000000, 3, 664579, 0x0159CD2E },
};

#define MAX_KEYS   1048576
#define MAX_BYTES  1048576
#define MAX_SIEVE  10000000

static u32 keys[MAX_KEYS];
static u8 bytes[MAX_BYTES];
static u8 composite[MAX_SIEVE / 2];
static u32 crc_table[256];

static u32 rng_state;

static u32 rng(void) {   /* xorshift32 */
    u32 x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

static void crc_init(void) {
    for (u32 i = 0; i < 256; i++) {
        u32 c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static u32 crc_update(u32 crc, const u8 *p, u32 n) {
    crc = ~crc;
    while (n--)
        crc = crc_table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

static void swap(u32 *a, u32 *b) {
    u32 t = *a;
    *a = *b;
    *b = t;
}

static void insertion_sort(u32 *a, u32 n) {
    for (u32 i = 1; i < n; i++) {
        u32 v = a[i], j = i;
        for (; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

/* Quicksort with median-of-three pivots; recurses into the smaller side only. */
static void quicksort(u32 *a, u32 n) {
    while (n > 16) {
        u32 mid = n / 2;
        if (a[mid] < a[0]) swap(&a[mid], &a[0]);
        if (a[n - 1] < a[0]) swap(&a[n - 1], &a[0]);
        if (a[n - 1] < a[mid]) swap(&a[n - 1], &a[mid]);
        u32 pivot = a[mid], i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i >= j) break;
            swap(&a[i++], &a[j--]);
        }
        u32 left = j + 1;
        if (left < n - left) {
            quicksort(a, left);
            a += left;
            n -= left;
        } else {
            quicksort(a + left, n - left);
            n = left;
        }
    }
    insertion_sort(a, n);
}

static u32 run_sort(const struct size *s) {
    u32 crc = 0;
    for (u32 r = 0; r < s->sort_rounds; r++) {
        for (u32 i = 0; i < s->sort_keys; i++)
            keys[i] = rng();
        quicksort(keys, s->sort_keys);
        for (u32 i = 1; i < s->sort_keys; i++)
            if (keys[i - 1] > keys[i])
                fail("keys not sorted at %u in round %u", i, r);
        crc = crc_update(crc, (const u8 *)keys, s->sort_keys * 4);
    }
    return crc;
}

static u32 run_crc(const struct size *s) {
    u32 crc = 0;
    for (u32 i = 0; i < s->crc_bytes; i++)
        bytes[i] = (u8)rng();
    for (u32 r = 0; r < s->crc_rounds; r++) {
        crc = crc_update(crc, bytes, s->crc_bytes);
        bytes[crc % s->crc_bytes] ^= (u8)r;
    }
    return crc;
}

/* Odd-only sieve of Eratosthenes: composite[i] stands for 2i+1. Returns pi(limit). */
static u32 sieve(u32 limit, u32 *sum) {
    u32 half = limit / 2;
    memset(composite, 0, half);
    for (u32 i = 1; (2 * i + 1) * (2 * i + 1) < limit; i++) {
        if (composite[i])
            continue;
        u32 p = 2 * i + 1;
        for (u32 j = p * p / 2; j < half; j += p)
            composite[j] = 1;
    }
    u32 count = 1;
    *sum = 2;
    for (u32 i = 1; i < half; i++)
        if (!composite[i]) {
            count++;
            *sum += 2 * i + 1;
        }
    return count;
}

static const struct size *chosen_size(void) {
    return cmdline_has("size=small") ? &sizes[0] : &sizes[1];
}

void test_main(void) {
    const struct size *s = chosen_size();
    u32 primes = 0, prime_sum = 0;
    paging_init(PTE_P | PTE_W);
    paging_enable(0);
    crc_init();
    rng_state = 0x2545F491;
    printf("compute, size %s\n", s->name);
    check("CRC-32 of \"123456789\"", crc_update(0, (const u8 *)"123456789", 9), 0xCBF43926);

    u32 sort_crc = run_sort(s);
    printf("sort: %u rounds of %u keys, sorted, CRC-32 %08x\n", s->sort_rounds, s->sort_keys,
           sort_crc);
    u32 data_crc = run_crc(s);
    printf("crc32: %u rounds over %u bytes, CRC-32 %08x\n", s->crc_rounds, s->crc_bytes,
           data_crc);
    for (u32 r = 0; r < s->sieve_rounds; r++)
        primes = sieve(s->sieve_limit, &prime_sum);
    printf("sieve: %u rounds, %u primes below %u, sum %08x\n", s->sieve_rounds, primes,
           s->sieve_limit, prime_sum);
    if (primes != s->primes)
        fail("%u primes below %u, expected %u", primes, s->sieve_limit, s->primes);

    u32 results[4] = { sort_crc, data_crc, primes, prime_sum };
    u32 checksum = crc_update(0, (const u8 *)results, sizeof results);
    printf("checksum: %08x\n", checksum);
    if (checksum != s->checksum)
        fail("checksum %08x, expected %08x", checksum, s->checksum);
}
