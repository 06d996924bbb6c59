/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iid_compression.c - the SP 800-90B §5.1.11 compression statistic: the
 * length in bytes of the bzip2 compression of the samples written as
 * text.
 *
 * What is compressed, following NIST's compression() in
 * iid/permutation_tests.h (the text of §5.1.11 only says "encode as a
 * character string ... compress with bzip2"):
 *   - each raw sample written as unsigned decimal ("%u"), samples
 *     separated by exactly one space, no space after the last one; an
 *     empty dataset is the empty string;
 *   - bzip2 (libbz2 1.0.x) with block size 5 (x 100,000 bytes), verbosity
 *     0 and work factor 0, in one BZ2_bzBuffToBuffCompress(dest, &len,
 *     text, textlen, 5, 0, 0) call;
 *   - the output buffer the reference offers is ceil(1.01 * textlen) + 600
 *     bytes (bzip2's documented worst case); if the compressed stream
 *     would not fit, the reference's call fails and the statistic is 0.
 *     We compute the whole stream's length and apply the same rule.
 *
 * Only the LENGTH of the stream matters, and it does not depend on the
 * bits of the CRCs or of the BWT origin pointer (fixed-width fields). So
 * instead of running libbz2 we compute, exactly, the number of bits
 * libbz2 writes, from the same intermediate data it computes:
 *
 *   1. Blocks. libbz2 run-length codes the input (runs of 4..255 equal
 *      bytes; the text has none: tokens of at most 3 digits are separated
 *      by single spaces) and cuts a block when it holds nblockMAX =
 *      100000 * 5 - 19 bytes, the bytes of an unfinished run of equal
 *      bytes moving on to the next block; the last block takes everything
 *      left when the input ends, even if it is then a little fuller.
 *   2. BWT. The last column L of the sorted cyclic rotations of a block
 *      (libbz2's blocksort) is the same however ties between equal
 *      rotations are ordered, so any correct rotation sort gives it. A
 *      block is a cyclic sequence of tokens "digits space"; every rotation
 *      starts with the tail of a token, P = the rest of that token (a
 *      string of digits ending in the space), followed by whole tokens.
 *      Since no such P is a prefix of another, rotations are ordered by
 *      P, then by the order of the rotations of the TOKEN sequence that
 *      start at the next token. So we sort the ~3.6 times fewer token
 *      rotations (LSD radix sort on their first q tokens, then a direct
 *      comparison of the few tied ones, or prefix doubling for repetitive
 *      blocks) and then read L off bucket by bucket: one bucket per
 *      distinct P, in string order. The byte before a token's first digit
 *      is always a space. The block's last digits and its first token
 *      form one token across the wrap (up to 6 digits).
 *   3. MTF and zero-run coding (RUNA/RUNB) of L as libbz2's
 *      generateMTFValues, then the coding-table selection of its
 *      sendMTFValues: 2..6 tables by the number of MTF symbols, the same
 *      initial partition, 4 refinement passes over groups of 50 symbols
 *      (first cheapest table wins ties), Huffman code lengths by libbz2's
 *      own heap algorithm (reproduced exactly: its tie-breaking decides
 *      the lengths), limited to 17 bits by its weight scaling (kept for
 *      fidelity; with at most 13 symbols no length exceeds 12). Costs of
 *      a group are computed from its symbol histogram, which gives the
 *      same integers as libbz2's symbol-by-symbol sums.
 *   4. Bits: stream header 32; per block 48 + 32 + 1 + 24 (magic, CRC,
 *      randomised bit, origin), symbol map 16 + 16 per used range of 16
 *      byte values, 3 + 15 (table and selector counts), the selectors'
 *      MTF unary codes, the code-length tables (5 bits, then 2 bits per
 *      +-1 step and 1 stop bit per symbol) and the coded symbols; stream
 *      trailer 48 + 32; rounded up to whole bytes.
 * This is 4-5 times faster than libbz2 (which is ~55% of NIST's whole
 * run time on data that are not IID). libbz2 itself stays the reference:
 * the unit tests compare our lengths with BZ2_bzBuffToBuffCompress on
 * varied inputs, block-edge cases included. ea_iid_compressor_use_libbz2()
 * (ea90b iid --libbz2; every compressor when built with
 * -DEA_IID_COMPRESSION_LIBBZ2) computes the statistic with libbz2
 * instead, for cross-checks: its streaming interface (BZ_RUN for all
 * chunks of text but the last, BZ_FINISH for the last, so that blocks
 * are cut as in the one-call version), work arrays from a reusable arena.
 *
 * One compressor per thread; a compressor is not shared. All scratch is
 * allocated once, at creation (the libbz2 path's on first use).
 */
#include <bzlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "iid_internal.h"

/* bzip2 parameters of NIST's compression(): block size 5, verbosity 0,
 * work factor 0. */
#define BZ_BLOCK_SIZE 5
#define BZ_VERBOSITY 0
#define BZ_WORK_FACTOR 0

/* Reference output buffer: ceil(1.01 * textlen) + 600 bytes. */
#define BZ_BOUND_RATIO 1.01
#define BZ_BOUND_EXTRA 600.0

/* libbz2's block capacity (bzlib.c: 100000 * blockSize100k - 19). */
#define BLOCK_MAX (100000L * BZ_BLOCK_SIZE - 19L)
/* A block holds at most BLOCK_MAX + 3 bytes here (runs of <= 3). */
#define BLOCK_CAP ((size_t)BLOCK_MAX + 8u)
/* Tokens are at least 2 bytes ("d "), plus the wrap token. */
#define TOKEN_CAP (BLOCK_CAP / 2u + 4u)

/* libbz2's coding constants (compress.c, huffman.c, bzlib_private.h). */
#define G_SIZE 50              /* symbols per selector group */
#define N_ITERS 4              /* table refinement passes */
#define MAX_CODE_LEN 17        /* Huffman length limit since 1.0.3 */
#define LESSER_ICOST 0
#define GREATER_ICOST 15
#define RUNA 0
#define RUNB 1
#define N_TABLES 6
/* Stream and block framing, in bits. */
#define STREAM_HEADER_BITS 32u          /* "BZh5" */
#define STREAM_TRAILER_BITS (48u + 32u) /* magic, combined CRC */
#define BLOCK_HEADER_BITS (48u + 32u + 1u + 24u)

/* The text's bytes: the space and the ten digits; with RUNA, RUNB and
 * EOB, at most 13 MTF symbols. */
#define ALPHA_CAP 13
#define HIST_STRIDE 16
/* Distinct "digits + space" strings of at most 3 digits: 1 + 10 + 100 +
 * 1000; a wrap token adds at most 3 longer ones, bucket = 4 * rank + j. */
#define N_STD 1111
#define N_BUCKETS (4 * N_STD + 4)
/* Target of the unused slots of a 1- or 2-digit value's rests. */
#define DUMMY_BUCKET N_BUCKETS
/* Strings of up to 6 digits and a space, as base-11 numbers of 7 places
 * (space 0, digit c -> c + 1): numeric order is string order. */
#define KEY_PLACES 7
#define MAX_WRAP_DIGITS 6
/* Zero runs shorter than this are coded from a table (at most 4 digits). */
#define RUN_TABLE 16
/* MTF list as 4-bit fields of a 64-bit word. */
#define MTF_ONES 0x1111111111111111u
#define MTF_HIGHS 0x8888888888888888u
/* The first sort: keys of up to MAX_PREFIX tokens below 2^27, three
 * LSD passes of 9 bits over (key, rotation) records. */
#define RADIX_BITS 9
#define RADIX_PASSES 3
#define RADIX_SIZE (1 << RADIX_BITS)
#define MAX_PREFIX 24
/* Emission reads token values this many rotations ahead. */
#define EMIT_AHEAD 16
/* Tied groups larger than this are left to prefix doubling. */
#define SMALL_GROUP 32

/* libbz2 path: samples rendered per chunk (at most 4 bytes each). */
#define CHUNK_SAMPLES 16384u
#define TEXT_CAP (4u * CHUNK_SAMPLES + 4u)
#define OUT_CAP 65536u
/* libbz2 makes four allocations per stream; a few spare slots. */
#define ARENA_SLOTS 8

typedef struct {
    void *ptr;
    size_t size;
    int busy;
} arena_slot;

typedef struct {
    arena_slot slot[ARENA_SLOTS];
    int failed;              /* an allocation could not be served */
} bz_arena;

/* What a sample value contributes: its digits, and for each offset o of
 * its token (o = digits is the space) the bucket of the token's rest and
 * the byte before that offset in the text. */
typedef struct {
    uint8_t digits;
    char dec[4];             /* decimal digits, then ' ' */
    uint16_t bucket[4];
    char before[4];
} value_info;

/* The wrap token of a block: the digits after its last space followed by
 * the bytes up to and including its first space. */
typedef struct {
    char str[MAX_WRAP_DIGITS + 2];
    int len;                 /* bytes, the space included */
    uint16_t bucket[MAX_WRAP_DIGITS + 1];
} wrap_token;

/* Where a sample's token starts in the text. */
typedef struct {
    size_t i;                /* sample index */
    size_t pos;              /* text position of its first digit */
} text_cursor;

struct ea_iid_compressor {
    value_info val[256];
    uint32_t std_key[N_STD];         /* standard strings, ascending */
    uint16_t std_bucket[4][1000];    /* [digits][value] -> bucket */
    /* model scratch */
    uint8_t *tokv;                   /* token values (the wrap is last) */
    int32_t *sa, *sa2, *rank, *rank2, *cnt;
    uint64_t *rec, *rec2;            /* (key, rotation) records */
    uint8_t *bwt;                    /* the block's L column */
    uint8_t present[256];            /* bytes present in the block */
    uint8_t *pos;                    /* MTF positions of the L column */
    uint8_t *mtfv;
    uint8_t *hist;                   /* per selector group, HIST_STRIDE */
    uint8_t *sel;                    /* selector of each group */
    size_t cap;                      /* scratch holds blocks of cap - 8 */
    uint8_t run_code[RUN_TABLE][4];  /* RUNA/RUNB digits of z zeros */
    uint8_t run_len[RUN_TABLE];
    /* libbz2 path (ea_iid_compressor_use_libbz2) */
    int use_libbz2;
    char *text;
    char *out;
    bz_arena arena;
};

/* ================================================================== */
/* Tables                                                               */
/* ================================================================== */

static uint32_t key_of_string(const char *s, int len)
{
    uint32_t k = 0;

    for (int i = 0; i < KEY_PLACES; i++) {
        uint32_t code = (i < len && s[i] != ' ') ? (uint32_t)(s[i] - '0') + 1u : 0u;
        k = k * 11u + code;
    }
    return k;
}

/* The standard string with `digits` digits of value x, and its key. */
static uint32_t std_string_key(int digits, int x)
{
    char s[4];

    for (int i = digits - 1; i >= 0; i--) {
        s[i] = (char)('0' + x % 10);
        x /= 10;
    }
    s[digits] = ' ';
    return key_of_string(s, digits + 1);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

/* Number of standard strings whose key is below k. */
static int std_rank(const ea_iid_compressor *c, uint32_t k)
{
    int lo = 0, hi = N_STD;

    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (c->std_key[mid] < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void build_std_tables(ea_iid_compressor *c)
{
    int k = 0;

    for (int d = 0; d <= 3; d++)
        for (int x = 0, top = d == 0 ? 1 : d == 1 ? 10 : d == 2 ? 100 : 1000; x < top; x++)
            c->std_key[k++] = std_string_key(d, x);
    qsort(c->std_key, N_STD, sizeof(c->std_key[0]), cmp_u32);
    for (int d = 0; d <= 3; d++)
        for (int x = 0, top = d == 0 ? 1 : d == 1 ? 10 : d == 2 ? 100 : 1000; x < top; x++)
            c->std_bucket[d][x] = (uint16_t)(4 * std_rank(c, std_string_key(d, x)) + 3);
}

static void build_value_tables(ea_iid_compressor *c)
{
    static const int pow10[4] = { 1, 10, 100, 1000 };

    for (int v = 0; v < 256; v++) {
        value_info *vi = &c->val[v];
        int d = v >= 100 ? 3 : v >= 10 ? 2 : 1;

        vi->digits = (uint8_t)d;
        for (int i = d - 1, x = v; i >= 0; i--, x /= 10)
            vi->dec[i] = (char)('0' + x % 10);
        vi->dec[d] = ' ';
        for (int o = d + 1; o < 4; o++) {
            vi->bucket[o] = DUMMY_BUCKET;
            vi->before[o] = ' ';
        }
        for (int o = 0; o <= d; o++) {
            int rest = d - o;
            vi->bucket[o] = c->std_bucket[rest][v % pow10[rest]];
            vi->before[o] = o == 0 ? ' ' : vi->dec[o - 1];
        }
    }
}

/* ================================================================== */
/* Text geometry: sample i is its digits, then a space unless it is the */
/* last sample.                                                         */
/* ================================================================== */

static size_t token_len(const ea_iid_compressor *c, const uint8_t *raw, size_t n, size_t i)
{
    return (size_t)c->val[raw[i]].digits + (i + 1 < n ? 1u : 0u);
}

static size_t text_length(const ea_iid_compressor *c, const uint8_t *raw, size_t n)
{
    size_t len = 0;

    for (size_t i = 0; i < n; i++)
        len += (size_t)c->val[raw[i]].digits + 1u;
    return n > 0 ? len - 1u : 0u;
}

/* The byte at text position q >= cur->pos (moves the cursor forward). */
static char text_at(const ea_iid_compressor *c, const uint8_t *raw, size_t n,
                    text_cursor *cur, size_t q)
{
    const value_info *vi;

    while (q >= cur->pos + token_len(c, raw, n, cur->i)) {
        cur->pos += token_len(c, raw, n, cur->i);
        cur->i++;
    }
    vi = &c->val[raw[cur->i]];
    return q - cur->pos < vi->digits ? vi->dec[q - cur->pos] : ' ';
}

/*
 * End of the block that starts at text position s (cursor at the sample
 * holding s), as libbz2 cuts it: before reading byte p it checks whether
 * the block holds BLOCK_MAX bytes, i.e. (p - s) - r >= BLOCK_MAX with r
 * the bytes of the run of equal bytes still pending (ending at p - 1);
 * the block then ends at p - r. Once the input is used up (p == L) the
 * last block takes everything.
 */
static size_t block_end(const ea_iid_compressor *c, const uint8_t *raw, size_t n,
                        text_cursor cur, size_t s, size_t L)
{
    char b[5];
    size_t first = s + (size_t)BLOCK_MAX - 2u;

    if (L - s <= (size_t)BLOCK_MAX + 1u)
        return L;
    for (size_t k = 0; k < 5 && first + k < L; k++)
        b[k] = text_at(c, raw, n, &cur, first + k);
    for (size_t p = s + (size_t)BLOCK_MAX + 1u; p <= s + (size_t)BLOCK_MAX + 3u; p++) {
        size_t last = p - 1u - first, r = 1;   /* b[last] is byte p - 1 */
        if (p >= L)
            return L;
        while (r < 3 && r <= last && b[last - r] == b[last])
            r++;
        if ((p - s) - r >= (size_t)BLOCK_MAX)
            return p - r;
    }
    return L;   /* not reached: runs are at most 3 bytes */
}

/* ================================================================== */
/* Tokens of one block                                                  */
/* ================================================================== */

/*
 * Collect the block [s, e): the values of the samples whose whole token
 * lies between the block's first and last space, then the wrap token.
 * Returns the number of tokens, 0 when the block holds no space (then it
 * is at most 3 digits of one sample). Leaves *cur at the sample holding e.
 */
static size_t collect_tokens(ea_iid_compressor *c, const uint8_t *raw, size_t n,
                             text_cursor *cur, size_t s, size_t e, wrap_token *w)
{
    size_t a = cur->i, pos_a = cur->pos, i, pos, nt = 0;
    const value_info *va = &c->val[raw[a]];
    size_t tail_from = s - pos_a;
    int len = 0;

    if (a + 1 >= n || pos_a + va->digits >= e)
        return 0;                              /* no space in the block */
    i = a + 1;
    pos = pos_a + va->digits + 1u;
    while (i + 1 < n && pos + c->val[raw[i]].digits + 1u <= e) {
        c->tokv[nt++] = raw[i];
        pos += (size_t)c->val[raw[i]].digits + 1u;
        i++;
    }
    /* head: the first e - pos digits of sample i */
    for (size_t k = 0; pos + k < e; k++)
        w->str[len++] = c->val[raw[i]].dec[k];
    /* tail of sample a, its space included */
    for (size_t k = tail_from; k <= va->digits; k++)
        w->str[len++] = va->dec[k];
    w->len = len;
    cur->i = i;
    cur->pos = pos;
    return nt + 1;
}

/* Buckets of the wrap token's rests. Rests of more than 3 digits occur
 * nowhere else: each is a bucket of its own, ordered by string. */
static void wrap_buckets(const ea_iid_compressor *c, wrap_token *w)
{
    int digits = w->len - 1;
    int prev_rank = -1, j = 0;

    for (int o = 0; o <= digits; o++) {
        int rest = digits - o;
        if (rest <= 3) {
            int x = 0;
            for (int k = o; k < digits; k++)
                x = x * 10 + (w->str[k] - '0');
            w->bucket[o] = c->std_bucket[rest][x];
        }
    }
    /* Long rests, in string order: they share a rank only when they
     * share their first 3 digits; j separates them. */
    for (int pass = 0; pass < 3; pass++) {
        int best = -1;
        uint32_t best_key = 0;
        for (int o = 0; o + 3 < digits; o++) {
            uint32_t k = key_of_string(w->str + o, w->len - o);
            if (w->bucket[o] != 0xFFFF)
                continue;
            if (best < 0 || k < best_key) {
                best = o;
                best_key = k;
            }
        }
        if (best < 0)
            break;
        int r = std_rank(c, best_key);
        j = r == prev_rank ? j + 1 : 0;
        prev_rank = r;
        w->bucket[best] = (uint16_t)(4 * r + j);
    }
}

/* ================================================================== */
/* Sorting the cyclic token sequence                                    */
/* ================================================================== */

/* Dense rank of each token's full string; returns the alphabet size. */
static int32_t token_ranks(ea_iid_compressor *c, size_t nt, const wrap_token *w, int32_t *dense)
{
    int32_t map[N_BUCKETS];
    int32_t k = 0;

    memset(map, 0, sizeof(map));
    for (size_t t = 0; t + 1 < nt; t++)
        map[c->val[c->tokv[t]].bucket[0]] = 1;
    map[w->bucket[0]] = 1;
    for (int b = 0; b < N_BUCKETS; b++)
        map[b] = map[b] ? k++ : -1;
    for (size_t t = 0; t + 1 < nt; t++)
        dense[t] = map[c->val[c->tokv[t]].bucket[0]];
    dense[nt - 1] = map[w->bucket[0]];
    return k;
}

/*
 * First step: sort the rotations by their first q tokens, packed into
 * one key below 2^(2 RADIX_BITS), by a two-pass LSD radix sort; then
 * rank[i] = position of the first rotation of i's group. Returns the
 * number of elements in groups of two or more.
 */
static size_t sort_prefix(ea_iid_compressor *c, size_t nt, const int32_t *dense, int64_t alpha,
                          size_t q)
{
    uint64_t *rec = c->rec, *tmp = c->rec2;
    int32_t *cnt = c->cnt;
    int64_t top = 1, k = 0;
    size_t tied = 0, gstart = 0;
    uint64_t prev = 0;

    for (size_t j = 0; j < q; j++) {
        k = k * alpha + dense[j % nt];
        top *= alpha;
    }
    top /= alpha;                          /* alpha^(q-1) */
    for (size_t i = 0, in = q % nt; i < nt; i++) {
        rec[i] = (uint64_t)k << 32 | i;     /* key, then the rotation */
        k = (k - dense[i] * top) * alpha + dense[in];
        in = in + 1 == nt ? 0 : in + 1;        /* (i + q + 1) mod nt */
    }
    for (int pass = 0; pass < RADIX_PASSES; pass++) {
        int shift = 32 + pass * RADIX_BITS;
        int32_t sum = 0;
        uint64_t *t;
        memset(cnt, 0, RADIX_SIZE * sizeof(*cnt));
        for (size_t x = 0; x < nt; x++)
            cnt[(rec[x] >> shift) & (RADIX_SIZE - 1)]++;
        for (int d = 0; d < RADIX_SIZE; d++) {
            int32_t n_d = cnt[d];
            cnt[d] = sum;
            sum += n_d;
        }
        for (size_t x = 0; x < nt; x++)
            tmp[cnt[(rec[x] >> shift) & (RADIX_SIZE - 1)]++] = rec[x];
        t = rec;
        rec = tmp;
        tmp = t;
    }
    for (size_t x = 0; x < nt; x++) {
        int32_t i = (int32_t)(rec[x] & 0xFFFFFFFFu);
        if (x > 0 && rec[x] >> 32 != prev >> 32) {
            tied += x - gstart > 1 ? x - gstart : 0;
            gstart = x;
        }
        prev = rec[x];
        c->sa[x] = i;
        c->rank[i] = (int32_t)gstart;
    }
    tied += nt - gstart > 1 ? nt - gstart : 0;
    return tied;
}

/* Order of rotations i and j that agree on their first q tokens, from
 * the ranks of the following q-token stretches; 0 when equal. */
static int cmp_rotations(const int32_t *rank, size_t nt, size_t q, size_t i, size_t j,
                         long *budget)
{
    q %= nt;
    for (size_t done = 0; done < nt; done += q ? q : nt) {
        int32_t a, b;
        i += q;
        j += q;
        i -= i >= nt ? nt : 0;
        j -= j >= nt ? nt : 0;
        a = rank[i];
        b = rank[j];
        --*budget;
        if (a != b)
            return a < b ? -1 : 1;
    }
    return 0;
}

/*
 * Finish the sort by sorting each group of tied rotations directly (the
 * groups are few and small for all but very repetitive blocks). Gives up,
 * leaving c->sa still ordered by the first q tokens, when a group is
 * large or the comparisons run long. Returns 1 when done.
 */
static int finish_groups(ea_iid_compressor *c, size_t nt, size_t q)
{
    int32_t *sa = c->sa;
    long budget = 4L * (long)nt;
    size_t g = 0;

    while (g < nt) {
        size_t e = g + 1;
        while (e < nt && c->rank[sa[e]] == (int32_t)g)
            e++;
        if (e - g > SMALL_GROUP)
            return 0;
        for (size_t x = g + 1; x < e; x++)
            for (size_t y = x; y > g; y--) {
                if (cmp_rotations(c->rank, nt, q, (size_t)sa[y - 1], (size_t)sa[y], &budget) <= 0)
                    break;
                int32_t t = sa[y - 1];
                sa[y - 1] = sa[y];
                sa[y] = t;
            }
        if (budget < 0)
            return 0;
        g = e;
    }
    return 1;
}

/* One doubling step: from the order by h tokens to the order by 2h.
 * Returns the number of groups. */
static size_t double_step(ea_iid_compressor *c, size_t nt, size_t h)
{
    int32_t *sa = c->sa, *sa2 = c->sa2, *rank = c->rank, *rank2 = c->rank2, *cnt = c->cnt;
    size_t groups = 0;
    int32_t start = 0;

    for (size_t q = 0; q < nt; q++)
        cnt[q] = (int32_t)q;
    for (size_t q = 0; q < nt; q++) {
        size_t j = (size_t)sa[q];
        size_t i = j >= h ? j - h : j + nt - h;
        sa2[cnt[rank[i]]++] = (int32_t)i;
    }
    h %= nt;
    for (size_t q = 0; q < nt; q++) {
        size_t i = (size_t)sa2[q], p;
        if (q > 0) {
            size_t ih = i + h, ph;
            p = (size_t)sa2[q - 1];
            ph = p + h;
            ih -= ih >= nt ? nt : 0;
            ph -= ph >= nt ? nt : 0;
            if (rank[i] != rank[p] || rank[ih] != rank[ph])
                start = (int32_t)q;
        }
        if (start == (int32_t)q)
            groups++;
        rank2[i] = start;
    }
    c->sa = sa2;
    c->sa2 = sa;
    c->rank = rank2;
    c->rank2 = rank;
    return groups;
}

/* Sort the nt cyclic rotations of the token sequence into c->sa. */
static void sort_tokens(ea_iid_compressor *c, size_t nt, const wrap_token *w)
{
    int32_t *dense = c->cnt + RADIX_SIZE;    /* spare room after cnt */
    int64_t alpha = token_ranks(c, nt, w, dense);
    int64_t span = alpha;
    size_t q = 1, tied, groups;

    while (q < MAX_PREFIX && q < nt &&
           span * alpha <= (int64_t)1 << (RADIX_PASSES * RADIX_BITS)) {
        span *= alpha;
        q++;
    }
    tied = sort_prefix(c, nt, dense, alpha, q);
    if (tied == 0 || (tied <= nt / 4 && finish_groups(c, nt, q)))
        return;
    groups = 0;   /* some groups are tied: radix doubling from h = q */
    for (size_t h = q; h < nt && groups < nt; h *= 2)
        groups = double_step(c, nt, h);
}

/* ================================================================== */
/* The L column                                                         */
/* ================================================================== */

/* Bucket counts for every rest of every token, then bucket starts;
 * returns the block length. Marks the bytes present in the block. */
static int32_t bucket_starts(ea_iid_compressor *c, size_t nt, const wrap_token *w,
                          int32_t *start)
{
    int32_t byval[256];
    int32_t sum = 0;

    memset(byval, 0, sizeof(byval));
    memset(start, 0, N_BUCKETS * sizeof(*start));
    for (size_t t = 0; t + 1 < nt; t++)
        byval[c->tokv[t]]++;
    for (int v = 0; v < 256; v++) {
        if (byval[v] == 0)
            continue;
        for (int o = 0; o <= c->val[v].digits; o++) {
            start[c->val[v].bucket[o]] += byval[v];
            c->present[(uint8_t)c->val[v].dec[o]] = 1;
        }
    }
    for (int o = 0; o < w->len; o++) {
        start[w->bucket[o]]++;
        c->present[(uint8_t)w->str[o]] = 1;
    }
    for (int b = 0; b < N_BUCKETS; b++) {
        int32_t t = start[b];
        start[b] = sum;
        sum += t;
    }
    return sum;
}

/* Rotations in order: bucket of the rest of token t, then the order of
 * the token rotations starting at t + 1; L is the byte before. */
static void emit_bwt(ea_iid_compressor *c, size_t nt, const wrap_token *w)
{
    int32_t start[N_BUCKETS + 1];
    uint8_t *restrict L = c->bwt;
    const int32_t *restrict sa = c->sa;
    const uint8_t *restrict tokv = c->tokv;
    const value_info *restrict val = c->val;

    start[DUMMY_BUCKET] = bucket_starts(c, nt, w, start);
    for (size_t q = 0; q < nt; q++) {
        size_t u = (size_t)sa[q];
        size_t t = u == 0 ? nt - 1 : u - 1;
        if (q + EMIT_AHEAD < nt && sa[q + EMIT_AHEAD] > 0)
            __builtin_prefetch(tokv + sa[q + EMIT_AHEAD] - 1);
        if (t + 1 == nt) {
            for (int o = 0; o < w->len; o++)
                L[start[w->bucket[o]]++] = (uint8_t)(o == 0 ? ' ' : w->str[o - 1]);
        } else {
            /* four slots; those past the space go to the dummy bucket,
             * whose pointer (at the scratch byte L[m]) never moves */
            const value_info *vi = &val[tokv[t]];
            for (int o = 0; o < 4; o++) {
                int b = vi->bucket[o];
                L[start[b]] = (uint8_t)vi->before[o];
                start[b] += o <= vi->digits;
            }
        }
    }
}

/* A block of at most 3 digits and no space: sort its rotations directly. */
static void small_block_bwt(ea_iid_compressor *c, const char *b, size_t m)
{
    size_t order[4] = { 0, 1, 2, 3 };

    for (size_t i = 1; i < m; i++)
        for (size_t j = i; j > 0; j--) {
            size_t x = order[j - 1], y = order[j], k = 0;
            while (k < m && b[(x + k) % m] == b[(y + k) % m])
                k++;
            if (k == m || b[(x + k) % m] <= b[(y + k) % m])
                break;
            order[j - 1] = y;
            order[j] = x;
        }
    for (size_t i = 0; i < m; i++)
        c->bwt[i] = (uint8_t)b[(order[i] + m - 1) % m];
}

/* ================================================================== */
/* MTF and zero-run coding (libbz2's generateMTFValues)                 */
/* ================================================================== */

/* A run of z >= 1 zero MTF positions as RUNA/RUNB digits (bijective
 * base 2, least significant first), as libbz2 writes it. */
static size_t put_zero_run(uint8_t *mtfv, size_t wr, size_t z)
{
    z--;
    for (;;) {
        mtfv[wr++] = (uint8_t)((z & 1u) ? RUNB : RUNA);
        if (z < 2)
            break;
        z = (z - 2) / 2;
    }
    return wr;
}

static void build_run_table(ea_iid_compressor *c)
{
    for (size_t z = 1; z < RUN_TABLE; z++)
        c->run_len[z] = (uint8_t)put_zero_run(c->run_code[z], 0, z);
}

/* Bytes present in the block (c->present), in byte order: their MTF
 * indices, the count, and how many ranges of 16 byte values they touch. */
static int map_bytes(const ea_iid_compressor *c, uint8_t *seq, int *in_use16)
{
    const uint8_t *present = c->present;
    int k = 0;

    memset(seq, 0, 256);
    *in_use16 = 0;
    for (int g = 0; g < 16; g++) {
        int any = 0;
        for (int j = 0; j < 16; j++)
            if (present[g * 16 + j]) {
                seq[g * 16 + j] = (uint8_t)k++;
                any = 1;
            }
        *in_use16 += any;
    }
    return k;
}

/* The MTF list just before position p: the bytes seen before p, most
 * recent first, then the unseen ones in their initial order; as 4-bit
 * fields (unused fields 0xF). */
static uint64_t mtf_list_at(const ea_iid_compressor *c, const uint8_t *seq, size_t p, int k)
{
    uint64_t list = ~(uint64_t)0;
    int seen[ALPHA_CAP] = { 0 }, order[ALPHA_CAP], found = 0;

    for (size_t i = p; i > 0 && found < k; i--) {
        int s = seq[c->bwt[i - 1]];
        if (!seen[s]) {
            seen[s] = 1;
            order[found++] = s;
        }
    }
    for (int s = 0; s < k; s++)
        if (!seen[s])
            order[found++] = s;
    for (int x = k - 1; x >= 0; x--)
        list = (list << 4) | (uint64_t)order[x];
    return list;
}

/* MTF position of a byte in `list` (its index field-replicated in
 * `spread`), and the list updated. */
static inline uint8_t mtf_step(uint64_t *list, uint64_t spread)
{
    uint64_t x = *list ^ spread;
    unsigned j = (unsigned)__builtin_ctzll((x - MTF_ONES) & ~x & MTF_HIGHS) >> 2;
    uint64_t below = ((uint64_t)1 << (4u * j)) - 1u;          /* fields 0..j-1 */

    *list = (*list & ~((below << 4) | 0xFu)) | ((*list & below) << 4) | (spread & 0xFu);
    return (uint8_t)j;
}

/*
 * Move-to-front positions of the L column into c->pos. The list (at most
 * 11 entries) is kept as 4-bit fields of one 64-bit word: the position
 * of a byte is the lowest field equal to it, found without a loop. The
 * column is cut into 4 segments whose starting lists are read off the
 * bytes before them, and the segments advance together, so that the
 * serial list updates of different segments overlap.
 */
static void mtf_positions(ea_iid_compressor *c, size_t m, const uint8_t *seq, int k)
{
    uint64_t spread[256];
    const uint8_t *L = c->bwt;
    uint8_t *pos = c->pos;
    size_t seg = m / 4, i;
    const uint8_t *l0 = L, *l1 = L + seg, *l2 = L + 2 * seg, *l3 = L + 3 * seg;
    uint8_t *p0 = pos, *p1 = pos + seg, *p2 = pos + 2 * seg, *p3 = pos + 3 * seg;
    uint64_t s0 = mtf_list_at(c, seq, 0, k), s1 = mtf_list_at(c, seq, seg, k);
    uint64_t s2 = mtf_list_at(c, seq, 2 * seg, k), s3 = mtf_list_at(c, seq, 3 * seg, k);

    for (int b = 0; b < 256; b++)
        spread[b] = seq[b] * MTF_ONES;
    for (i = 0; i < seg; i++) {
        p0[i] = mtf_step(&s0, spread[l0[i]]);
        p1[i] = mtf_step(&s1, spread[l1[i]]);
        p2[i] = mtf_step(&s2, spread[l2[i]]);
        p3[i] = mtf_step(&s3, spread[l3[i]]);
    }
    for (i = 4 * seg; i < m; i++)
        pos[i] = mtf_step(&s3, spread[L[i]]);
}

/*
 * libbz2's generateMTFValues: runs of position 0 become RUNA/RUNB
 * digits, other positions j become j + 1, then EOB. Runs shorter than
 * RUN_TABLE are written from a table (run_len[0] = 0).
 */
/* Append the run of z zeros (if any) and the symbol for position j. */
static inline size_t put_symbol(const ea_iid_compressor *c, uint8_t *mtfv, size_t wr, size_t z,
                                unsigned j)
{
    if (z >= RUN_TABLE) {
        wr = put_zero_run(mtfv, wr, z);
        z = 0;
    }
    memcpy(mtfv + wr, c->run_code[z], 4);
    wr += c->run_len[z];
    mtfv[wr] = (uint8_t)(j + 1u);
    return wr + 1;
}

/* Bit mask of the non-zero bytes among p[0..15]. */
static inline unsigned nonzero_mask(const uint8_t *p)
{
#if defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    return ~(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128())) & 0xFFFFu;
#else
    unsigned m = 0;
    for (unsigned b = 0; b < 16; b++)
        m |= (unsigned)(p[b] != 0) << b;
    return m;
#endif
}

static size_t mtf_values(ea_iid_compressor *c, size_t m, int *n_in_use, int *in_use16)
{
    uint8_t seq[256];
    uint8_t *mtfv = c->mtfv;
    const uint8_t *pos = c->pos;
    int k = map_bytes(c, seq, in_use16);
    size_t wr = 0, z = 0, i;

    *n_in_use = k;
    mtf_positions(c, m, seq, k);
    /* 16 positions at a time: only the non-zero ones need work; the
     * zeros between them are counted from their bit positions */
    for (i = 0; i + 16 <= m; i += 16) {
        unsigned nz = nonzero_mask(pos + i), done = 0;
        while (nz != 0) {
            unsigned b = (unsigned)__builtin_ctz(nz);
            nz &= nz - 1u;
            wr = put_symbol(c, mtfv, wr, z + (b - done), pos[i + b]);
            z = 0;
            done = b + 1;
        }
        z += 16u - done;
    }
    for (; i < m; i++) {
        if (pos[i] == 0) {
            z++;
            continue;
        }
        wr = put_symbol(c, mtfv, wr, z, pos[i]);
        z = 0;
    }
    if (z > 0)
        wr = put_zero_run(mtfv, wr, z);
    mtfv[wr++] = (uint8_t)(k + 1);     /* EOB */
    return wr;
}

/* ================================================================== */
/* Huffman code lengths (libbz2's BZ2_hbMakeCodeLengths, reproduced)    */
/* ================================================================== */

/* Weights carry the subtree depth in their low 8 bits. */
static int32_t add_weights(int32_t a, int32_t b)
{
    int32_t da = a & 0xff, db = b & 0xff;

    return (int32_t)(((uint32_t)a & 0xffffff00u) + ((uint32_t)b & 0xffffff00u)) |
           (1 + (da > db ? da : db));
}

static void heap_up(int32_t *heap, const int32_t *weight, int z)
{
    int32_t tmp = heap[z];

    while (weight[tmp] < weight[heap[z >> 1]]) {
        heap[z] = heap[z >> 1];
        z >>= 1;
    }
    heap[z] = tmp;
}

static void heap_down(int32_t *heap, const int32_t *weight, int z, int n_heap)
{
    int32_t tmp = heap[z];

    for (;;) {
        int y = z << 1;
        if (y > n_heap)
            break;
        if (y < n_heap && weight[heap[y + 1]] < weight[heap[y]])
            y++;
        if (weight[tmp] < weight[heap[y]])
            break;
        heap[z] = heap[y];
        z = y;
    }
    heap[z] = tmp;
}

/* One tree over weight[1..alpha]; returns 1 if a length exceeds max. */
static int build_tree(int32_t *weight, int alpha, uint8_t *len, int max_len)
{
    int32_t heap[ALPHA_CAP + 2], parent[ALPHA_CAP * 2];
    int n_nodes = alpha, n_heap = 0, too_long = 0;

    heap[0] = 0;
    weight[0] = 0;
    parent[0] = -2;
    for (int i = 1; i <= alpha; i++) {
        parent[i] = -1;
        heap[++n_heap] = i;
        heap_up(heap, weight, n_heap);
    }
    while (n_heap > 1) {
        int32_t n1 = heap[1], n2;
        heap[1] = heap[n_heap--];
        heap_down(heap, weight, 1, n_heap);
        n2 = heap[1];
        heap[1] = heap[n_heap--];
        heap_down(heap, weight, 1, n_heap);
        n_nodes++;
        parent[n1] = parent[n2] = n_nodes;
        weight[n_nodes] = add_weights(weight[n1], weight[n2]);
        parent[n_nodes] = -1;
        heap[++n_heap] = n_nodes;
        heap_up(heap, weight, n_heap);
    }
    for (int i = 1; i <= alpha; i++) {
        int j = 0;
        for (int k = i; parent[k] >= 0; k = parent[k])
            j++;
        len[i - 1] = (uint8_t)j;
        too_long |= j > max_len;
    }
    return too_long;
}

static void code_lengths(uint8_t *len, const long *freq, int alpha, int max_len)
{
    int32_t weight[ALPHA_CAP * 2];

    for (int i = 0; i < alpha; i++)
        weight[i + 1] = (int32_t)((freq[i] == 0 ? 1 : freq[i]) << 8);
    while (build_tree(weight, alpha, len, max_len))
        for (int i = 1; i <= alpha; i++)
            weight[i] = (1 + (weight[i] >> 8) / 2) << 8;
}

/* ================================================================== */
/* Table selection and bit count (libbz2's sendMTFValues)               */
/* ================================================================== */

typedef struct {
    int n_groups, alpha;
    size_t n_sel;
    uint8_t len[N_TABLES][ALPHA_CAP];
} coding;

static int tables_for(size_t n_mtf)
{
    return n_mtf < 200 ? 2 : n_mtf < 600 ? 3 : n_mtf < 1200 ? 4 : n_mtf < 2400 ? 5 : 6;
}

static void initial_tables(coding *cd, const long *freq, size_t n_mtf)
{
    int n_part = cd->n_groups, gs = 0;
    long rem = (long)n_mtf;

    for (int t = 0; t < N_TABLES; t++)
        memset(cd->len[t], GREATER_ICOST, sizeof(cd->len[t]));
    while (n_part > 0) {
        long target = rem / n_part, got = 0;
        int ge = gs - 1;
        while (got < target && ge < cd->alpha - 1)
            got += freq[++ge];
        if (ge > gs && n_part != cd->n_groups && n_part != 1 &&
            (cd->n_groups - n_part) % 2 == 1)
            got -= freq[ge--];
        for (int v = 0; v < cd->alpha; v++)
            cd->len[n_part - 1][v] = (v >= gs && v <= ge) ? LESSER_ICOST : GREATER_ICOST;
        n_part--;
        gs = ge + 1;
        rem -= got;
    }
}

/* Symbol histograms of the groups of G_SIZE symbols. */
static void group_histograms(ea_iid_compressor *c, size_t n_mtf, size_t n_sel)
{
    memset(c->hist, 0, n_sel * HIST_STRIDE);
    for (size_t i = 0; i < n_mtf; i++)
        c->hist[(i / G_SIZE) * HIST_STRIDE + c->mtfv[i]]++;
}

/* One refinement pass: pick each group's cheapest table, then rebuild
 * the tables from the symbols they were picked for. */
#if defined(__SSE2__)
/* Sum the four 32-bit lanes of each of a, b, c, d: one vector of 4 sums. */
static inline __m128i hsum4(__m128i a, __m128i b, __m128i c, __m128i d)
{
    __m128i ab = _mm_add_epi32(_mm_unpacklo_epi32(a, b), _mm_unpackhi_epi32(a, b));
    __m128i cd = _mm_add_epi32(_mm_unpacklo_epi32(c, d), _mm_unpackhi_epi32(c, d));

    return _mm_add_epi32(_mm_unpacklo_epi64(ab, cd), _mm_unpackhi_epi64(ab, cd));
}

/* The cheapest table for histogram h (first one on ties): costs are dot
 * products of 16-bit halves; key = cost * 8 + table, the smallest wins;
 * tables not in use get the largest key. */
static inline int cheapest_table(const uint8_t *h, const __m128i *lo, const __m128i *hi,
                                 __m128i unused)
{
    const __m128i zero = _mm_setzero_si128();
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)h);
    __m128i a = _mm_unpacklo_epi8(v, zero), b = _mm_unpackhi_epi8(v, zero);
    __m128i p[8], k0, k1, m;

    for (int t = 0; t < 8; t++)
        p[t] = _mm_add_epi32(_mm_madd_epi16(a, lo[t]), _mm_madd_epi16(b, hi[t]));
    k0 = _mm_or_si128(_mm_slli_epi32(hsum4(p[0], p[1], p[2], p[3]), 3),
                      _mm_setr_epi32(0, 1, 2, 3));
    k1 = _mm_or_si128(_mm_slli_epi32(hsum4(p[4], p[5], p[6], p[7]), 3),
                      _mm_setr_epi32(4, 5, 6, 7));
    m = _mm_or_si128(_mm_packs_epi32(k0, k1), unused);
    m = _mm_min_epi16(m, _mm_srli_si128(m, 8));
    m = _mm_min_epi16(m, _mm_srli_si128(m, 4));
    m = _mm_min_epi16(m, _mm_srli_si128(m, 2));
    return _mm_cvtsi128_si32(m) & 7;
}
#endif

/* One refinement pass: pick each group's cheapest table, then rebuild
 * the tables from the symbols they were picked for. */
static void refine(ea_iid_compressor *c, coding *cd)
{
    uint32_t rfreq[N_TABLES][HIST_STRIDE];
    long freq[HIST_STRIDE];
#if defined(__SSE2__)
    __m128i lo[8], hi[8], unused;
    uint16_t lens[8][HIST_STRIDE], mask[8];

    memset(lens, 0, sizeof(lens));
    for (int t = 0; t < 8; t++) {
        mask[t] = t < cd->n_groups ? 0 : 0x7FFF;
        for (int sym = 0; t < cd->n_groups && sym < cd->alpha; sym++)
            lens[t][sym] = cd->len[t][sym];
        lo[t] = _mm_loadu_si128((const __m128i *)(const void *)&lens[t][0]);
        hi[t] = _mm_loadu_si128((const __m128i *)(const void *)&lens[t][8]);
    }
    unused = _mm_loadu_si128((const __m128i *)(const void *)mask);
#endif

    memset(rfreq, 0, sizeof(rfreq));
    for (size_t g = 0; g < cd->n_sel; g++) {
        const uint8_t *h = c->hist + g * HIST_STRIDE;
        int bt = 0;
#if defined(__SSE2__)
        bt = cheapest_table(h, lo, hi, unused);
#else
        long best = -1;
        for (int t = 0; t < cd->n_groups; t++) {
            long cost = 0;
            for (int sym = 0; sym < cd->alpha; sym++)
                cost += (long)h[sym] * cd->len[t][sym];
            if (best < 0 || cost < best) {
                best = cost;
                bt = t;
            }
        }
#endif
        c->sel[g] = (uint8_t)bt;
        for (int sym = 0; sym < HIST_STRIDE; sym++)
            rfreq[bt][sym] += h[sym];
    }
    for (int t = 0; t < cd->n_groups; t++) {
        for (int sym = 0; sym < HIST_STRIDE; sym++)
            freq[sym] = (long)rfreq[t][sym];
        code_lengths(cd->len[t], freq, cd->alpha, MAX_CODE_LEN);
    }
}

static uint64_t selector_bits(const ea_iid_compressor *c, const coding *cd)
{
    uint8_t pos[N_TABLES];
    uint64_t bits = 0;

    for (int t = 0; t < cd->n_groups; t++)
        pos[t] = (uint8_t)t;
    for (size_t g = 0; g < cd->n_sel; g++) {
        uint8_t want = c->sel[g], prev = pos[0], tmp;
        int j = 0;
        while (prev != want) {
            j++;
            tmp = pos[j];
            pos[j] = prev;
            prev = tmp;
        }
        pos[0] = prev;
        bits += (uint64_t)j + 1u;
    }
    return bits;
}

static uint64_t table_bits(const coding *cd)
{
    uint64_t bits = 0;

    for (int t = 0; t < cd->n_groups; t++) {
        int curr = cd->len[t][0];
        bits += 5u;
        for (int s = 0; s < cd->alpha; s++) {
            int d = cd->len[t][s] - curr;
            bits += 2u * (uint64_t)(d < 0 ? -d : d) + 1u;
            curr = cd->len[t][s];
        }
    }
    return bits;
}

static uint64_t data_bits(const ea_iid_compressor *c, const coding *cd)
{
    uint64_t bits = 0;

    for (size_t g = 0; g < cd->n_sel; g++) {
        const uint8_t *h = c->hist + g * HIST_STRIDE;
        const uint8_t *len = cd->len[c->sel[g]];
        for (int s = 0; s < cd->alpha; s++)
            bits += (uint64_t)h[s] * len[s];
    }
    return bits;
}

/* Bits of one block whose L column is c->bwt[0..m). */
static uint64_t block_bits(ea_iid_compressor *c, size_t m)
{
    long freq[HIST_STRIDE];
    coding cd;
    int n_in_use, in_use16;
    size_t n_mtf = mtf_values(c, m, &n_in_use, &in_use16);

    cd.alpha = n_in_use + 2;
    cd.n_groups = tables_for(n_mtf);
    cd.n_sel = (n_mtf + G_SIZE - 1) / G_SIZE;
    group_histograms(c, n_mtf, cd.n_sel);
    memset(freq, 0, sizeof(freq));
    for (size_t g = 0; g < cd.n_sel; g++)
        for (size_t sym = 0; sym < HIST_STRIDE; sym++)
            freq[sym] += c->hist[g * HIST_STRIDE + sym];
    initial_tables(&cd, freq, n_mtf);
    for (int it = 0; it < N_ITERS; it++)
        refine(c, &cd);
    return BLOCK_HEADER_BITS + 16u + 16u * (uint64_t)in_use16 + 3u + 15u +
           selector_bits(c, &cd) + table_bits(&cd) + data_bits(c, &cd);
}

/* ================================================================== */
/* The whole stream                                                     */
/* ================================================================== */

/* Bits of the block [s, e); *cur is at the sample holding s. */
static uint64_t one_block(ea_iid_compressor *c, const uint8_t *raw, size_t n, text_cursor *cur,
                          size_t s, size_t e)
{
    wrap_token w;
    size_t nt;

    memset(w.bucket, 0xFF, sizeof(w.bucket));
    memset(c->present, 0, sizeof(c->present));
    nt = collect_tokens(c, raw, n, cur, s, e, &w);
    if (nt == 0) {
        char b[4];
        text_cursor k = *cur;
        for (size_t q = s; q < e; q++) {
            b[q - s] = text_at(c, raw, n, &k, q);
            c->present[(uint8_t)b[q - s]] = 1;
        }
        small_block_bwt(c, b, e - s);
        *cur = k;
    } else {
        wrap_buckets(c, &w);
        sort_tokens(c, nt, &w);
        emit_bwt(c, nt, &w);
    }
    return block_bits(c, e - s);
}

/* Length in bytes of the bzip2 stream of the text of raw[0..n). */
static uint64_t model_length(ea_iid_compressor *c, const uint8_t *raw, size_t n, size_t L)
{
    uint64_t bits = STREAM_HEADER_BITS + STREAM_TRAILER_BITS;
    text_cursor cur = { 0, 0 };
    size_t s = 0;

    while (s < L) {
        size_t e = block_end(c, raw, n, cur, s, L);
        text_at(c, raw, n, &cur, s);            /* cursor to the sample holding s */
        bits += one_block(c, raw, n, &cur, s, e);
        s = e;
    }
    return (bits + 7u) / 8u;
}

/* ================================================================== */
/* libbz2 path (ea_iid_compressor_use_libbz2): arena and streaming     */
/* ================================================================== */

/* A free slot of exactly `size` bytes, else any free slot large enough,
 * else a new slot. libbz2 asks for the same sizes every call, so after
 * the first call every request is served without malloc. */
static void *arena_alloc(void *opaque, int items, int size)
{
    bz_arena *a = opaque;
    size_t want, best = ARENA_SLOTS;

    if (items < 0 || size < 0)
        return NULL;
    want = (size_t)items * (size_t)size;
    for (size_t k = 0; k < ARENA_SLOTS; k++) {
        arena_slot *s = &a->slot[k];
        if (s->busy || s->ptr == NULL || s->size < want)
            continue;
        if (best == ARENA_SLOTS || s->size < a->slot[best].size)
            best = k;
        if (s->size == want)
            break;
    }
    if (best == ARENA_SLOTS) {
        for (size_t k = 0; k < ARENA_SLOTS && best == ARENA_SLOTS; k++)
            if (a->slot[k].ptr == NULL)
                best = k;
        if (best == ARENA_SLOTS || (a->slot[best].ptr = malloc(want ? want : 1)) == NULL) {
            a->failed = 1;
            return NULL;
        }
        a->slot[best].size = want;
    }
    a->slot[best].busy = 1;
    return a->slot[best].ptr;
}

static void arena_free(void *opaque, void *ptr)
{
    bz_arena *a = opaque;

    for (size_t k = 0; k < ARENA_SLOTS; k++)
        if (a->slot[k].ptr == ptr)
            a->slot[k].busy = 0;
}

static void arena_release(bz_arena *a)
{
    for (size_t k = 0; k < ARENA_SLOTS; k++) {
        free(a->slot[k].ptr);
        a->slot[k].ptr = NULL;
        a->slot[k].size = 0;
        a->slot[k].busy = 0;
    }
}

/* Render samples [0, m) as "v " strings; returns the bytes written. */
static size_t render_chunk(const ea_iid_compressor *c, const uint8_t *raw, size_t m)
{
    char *p = c->text;

    for (size_t i = 0; i < m; i++) {
        memcpy(p, c->val[raw[i]].dec, 4);
        p += c->val[raw[i]].digits + 1u;
    }
    return (size_t)(p - c->text);
}

/*
 * Feed `len` text bytes, discarding the output. Every chunk but the last
 * goes in with BZ_RUN; the last one with BZ_FINISH, so that the stream is
 * in the finishing mode while its last bytes are taken in, as it is
 * throughout BZ2_bzBuffToBuffCompress. (Not a detail: if the text ends
 * exactly where a block fills up, a running stream closes that block and
 * puts the pending run of the last bytes into one more block, while a
 * finishing stream puts it into the same block.)
 */
static int feed(ea_iid_compressor *c, bz_stream *s, size_t len, int last)
{
    int rc;

    s->next_in = c->text;
    s->avail_in = (unsigned)len;
    if (!last) {
        while (s->avail_in > 0) {
            s->next_out = c->out;
            s->avail_out = OUT_CAP;
            if (BZ2_bzCompress(s, BZ_RUN) != BZ_RUN_OK)
                return 0;
        }
        return 1;
    }
    do {
        s->next_out = c->out;
        s->avail_out = OUT_CAP;
        rc = BZ2_bzCompress(s, BZ_FINISH);
    } while (rc == BZ_FINISH_OK);
    return rc == BZ_STREAM_END;
}

static int stream_all(ea_iid_compressor *c, bz_stream *s, const uint8_t *raw, size_t n)
{
    size_t done = 0;

    if (n == 0)
        return feed(c, s, 0, 1);
    while (done < n) {
        size_t m = n - done < CHUNK_SAMPLES ? n - done : CHUNK_SAMPLES;
        size_t len = render_chunk(c, raw + done, m);

        done += m;
        if (done == n)
            len--;                /* no space after the last sample */
        if (!feed(c, s, len, done == n))
            return 0;
    }
    return 1;
}

/* Compressed length by libbz2 itself; 0 if compression fails. */
static ea_status libbz2_length(ea_iid_compressor *c, const uint8_t *raw, size_t n,
                               uint64_t *total)
{
    bz_stream s;
    int ok, rc;

    *total = 0;
    if (c->text == NULL && (c->text = malloc(TEXT_CAP)) == NULL)
        return EA_ERR_NOMEM;
    if (c->out == NULL && (c->out = malloc(OUT_CAP)) == NULL)
        return EA_ERR_NOMEM;
    memset(&s, 0, sizeof(s));
    s.bzalloc = arena_alloc;
    s.bzfree = arena_free;
    s.opaque = &c->arena;
    c->arena.failed = 0;
    rc = BZ2_bzCompressInit(&s, BZ_BLOCK_SIZE, BZ_VERBOSITY, BZ_WORK_FACTOR);
    if (rc != BZ_OK)
        return rc == BZ_MEM_ERROR ? EA_ERR_NOMEM : EA_OK;
    ok = stream_all(c, &s, raw, n);
    if (ok)
        *total = ((uint64_t)s.total_out_hi32 << 32) | s.total_out_lo32;
    BZ2_bzCompressEnd(&s);
    return c->arena.failed ? EA_ERR_NOMEM : EA_OK;
}


/* ================================================================== */
/* Interface                                                            */
/* ================================================================== */

#define FREE_NULL(x) (free(x), (x) = NULL)

static void free_scratch(ea_iid_compressor *c)
{
    /* sa/sa2, rank/rank2 and rec/rec2 are swapped by the sort; all are
     * ours */
    FREE_NULL(c->tokv);
    FREE_NULL(c->sa);
    FREE_NULL(c->sa2);
    FREE_NULL(c->rank);
    FREE_NULL(c->rank2);
    FREE_NULL(c->rec);
    FREE_NULL(c->rec2);
    FREE_NULL(c->cnt);
    FREE_NULL(c->bwt);
    FREE_NULL(c->mtfv);
    FREE_NULL(c->pos);
    FREE_NULL(c->hist);
    FREE_NULL(c->sel);
    c->cap = 0;
}

/* Scratch for blocks of up to bc - 8 bytes (bc <= BLOCK_CAP). */
static ea_status alloc_scratch(ea_iid_compressor *k, size_t bc)
{
    size_t tc = bc / 2u + 4u;              /* tokens: 2 bytes or more each */

    free_scratch(k);
    k->tokv = malloc(tc);
    k->sa = malloc(tc * sizeof(int32_t));
    k->sa2 = malloc(tc * sizeof(int32_t));
    k->rank = malloc(tc * sizeof(int32_t));
    k->rank2 = malloc(tc * sizeof(int32_t));
    k->rec = malloc(tc * sizeof(uint64_t));
    k->rec2 = malloc(tc * sizeof(uint64_t));
    /* radix buckets, then the dense token ranks */
    k->cnt = malloc((RADIX_SIZE + tc) * sizeof(int32_t));
    k->bwt = malloc(bc);
    k->mtfv = malloc(bc + 8u);             /* + room for 4-byte stores */
    k->pos = malloc(bc);
    k->hist = malloc((bc / G_SIZE + 2u) * HIST_STRIDE);
    k->sel = malloc(bc / G_SIZE + 2u);
    if (!k->tokv || !k->sa || !k->sa2 || !k->rank || !k->rank2 || !k->rec || !k->rec2 ||
        !k->cnt || !k->bwt || !k->mtfv || !k->pos || !k->hist || !k->sel)
        return EA_ERR_NOMEM;
    k->cap = bc;
    return EA_OK;
}

/* Block capacity for a text of `len` bytes. */
static size_t block_cap_for(size_t len)
{
    return len < BLOCK_CAP - 8u ? len + 8u : BLOCK_CAP;
}

ea_status ea_iid_compressor_new(size_t n, uint8_t max_symbol, ea_iid_compressor **c)
{
    ea_iid_compressor *k;

    /* Scratch is sized by the text of n samples (at most 4 bytes each)
     * up to one block, and grows if a later call needs more. */
    (void)max_symbol;
    if (c == NULL)
        return EA_ERR_ARG;
    *c = NULL;
    k = calloc(1, sizeof(*k));
    if (k == NULL)
        return EA_ERR_NOMEM;
    if (alloc_scratch(k, block_cap_for(n < BLOCK_CAP ? 4u * n : BLOCK_CAP)) != EA_OK) {
        ea_iid_compressor_free(k);
        return EA_ERR_NOMEM;
    }
#ifdef EA_IID_COMPRESSION_LIBBZ2
    k->use_libbz2 = 1;
#endif
    build_std_tables(k);
    build_value_tables(k);
    build_run_table(k);
    *c = k;
    return EA_OK;
}

void ea_iid_compressor_free(ea_iid_compressor *c)
{
    if (c == NULL)
        return;
    arena_release(&c->arena);
    free(c->text);
    free(c->out);
    free_scratch(c);
    free(c);
}

ea_status ea_iid_compression_stat(ea_iid_compressor *c, const uint8_t *raw, size_t n,
                                  long double *out)
{
    size_t text_len;
    uint64_t total;
    double bound;

    if (c == NULL || out == NULL || (raw == NULL && n > 0))
        return EA_ERR_ARG;
    *out = 0.0L;
    text_len = text_length(c, raw, n);
    if (block_cap_for(text_len) > c->cap && alloc_scratch(c, block_cap_for(text_len)) != EA_OK)
        return EA_ERR_NOMEM;
    if (c->use_libbz2) {
        ea_status st = libbz2_length(c, raw, n, &total);
        if (st != EA_OK)
            return st;
        if (total == 0)
            return EA_OK;      /* compression failed: 0, as the reference */
    } else {
        total = model_length(c, raw, n, text_len);
    }
    /* The reference's output buffer, computed as it does in double. */
    bound = ceil(BZ_BOUND_RATIO * (double)text_len) + BZ_BOUND_EXTRA;
    if ((double)total <= bound)
        *out = (long double)total;
    return EA_OK;
}

void ea_iid_compressor_use_libbz2(ea_iid_compressor *c, int on)
{
    if (c != NULL)
        c->use_libbz2 = on != 0;
}
