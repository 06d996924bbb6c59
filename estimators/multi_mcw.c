/* SPDX-License-Identifier: Apache-2.0 */
/*
 * multi_mcw.c - Multi Most Common in Window (MultiMCW) Prediction
 * Estimate, SP 800-90B §6.3.7.
 *
 * Four sub-predictors guess the most common value of the last w samples,
 * w = 63, 255, 1023, 4095 (step 1, which also sets N = L - 63). For each
 * sample from the 64th on (step 3) the winner's guess is checked, then
 * every window that would have been right gains a point, and a window
 * whose score becomes >= the winner's score becomes the winner (the
 * winner starts as the 63-sample window, step 2). A window takes part
 * once it is full. C is the number of correct guesses (step 4);
 * ea_predictor_finish() does steps 5-7 from C, N and the longest run of
 * correct guesses.
 *
 * NIST's tool (multi_mcw_test.h, version 1.1.7) follows these steps; where
 * its code, not the text, decides an integer we follow the code, because
 * C, N and r must be identical:
 *
 *   - Fewer than 4096 samples: the tool gives no estimate (the text sets
 *     no minimum); we return EA_ERR_TOO_SHORT.
 *   - Ties for the most common value go to the value that occurred most
 *     recently, as the text asks. The tool gets there through its own
 *     bookkeeping (initial fill, slide updates, rescans); all of it
 *     amounts to "highest count, then latest occurrence", which is what
 *     we implement.
 *   - Windows are scored smallest first, each compared with the current
 *     winner's score, so a tie goes to the window scored last.
 *   - The tool prints r = longest run + 1 (the text's r); we pass the run
 *     itself to ea_predictor_finish(), which adds the one.
 *
 * Speed. For alphabets above two symbols each window keeps per-symbol
 * counts and a histogram of the counts. When the most common value loses
 * a sample and nothing overtakes it, the histogram says whether another
 * symbol still has the top count; the newest symbol with the (possibly
 * reduced) top count is then found by looking back from the newest
 * sample, usually within a few steps, with a scan of the alphabet as the
 * fallback. For binary data every window has odd length, so the most
 * common value is the majority and cannot tie. Binary data are handled
 * 64 samples at a time: each window's majority for each sample of the
 * block comes from a prefix sum of the count changes (SSE2, 16 samples
 * per vector) or, far from the threshold, is constant; comparing with
 * the packed samples gives each window's 64-bit mask of correct guesses.
 * When no other window can reach the winner's score inside the block, the
 * winner's mask gives C and the runs directly; otherwise the block is
 * replayed sample by sample. Without SSE2 the same steps run in plain C.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "bits.h"
#include "ea90b.h"

/* §6.3.7 step 1: the number of windows and their lengths. */
#define MCW_NWIN 4
static const int mcw_len[MCW_NWIN] = {63, 255, 1023, 4095};
#define MCW_FIRST 63      /* the smallest window: first sample guessed */
#define MCW_LARGEST 4095  /* the largest window */

/* How far to look back for a new mode before scanning the alphabet. */
#define MCW_LOOKBACK 48
/* Samples per block in the binary path. */
#define MCW_BLOCK 64

typedef struct {
    int w;       /* window length */
    int *cnt;    /* cnt[sym]: occurrences of sym in the window */
    int *hist;   /* hist[c]: number of symbols occurring c times */
    int top;     /* count of the mode */
    int mode;    /* the most common value (the window's guess) */
} mcw_window;

typedef struct {
    mcw_window win[MCW_NWIN];
    size_t *last;          /* last[sym]: latest position of sym so far */
    int k;                 /* alphabet size */
    long score[MCW_NWIN];  /* points of each window's sub-predictor */
    int lead;              /* window whose guess is used */
    ea_guesses guesses;    /* C and the runs of correct guesses */
    void *mem;             /* single allocation behind the arrays */
} mcw_state;

/* ---------------------------------------------------------------- bits */

/* The 64 bits of a packed bit string starting at bit `pos`. */
static inline uint64_t bits_at(const uint64_t *P, size_t pos)
{
    size_t w = pos / 64;
    unsigned sh = (unsigned)(pos % 64);

    return sh == 0 ? P[w] : (P[w] >> sh) | (P[w + 1] << (64 - sh));
}

/* ----------------------------------------------------------- guesses */

/* Score the windows whose guess was sym, smallest window first. */
static void score_windows(mcw_state *st, size_t i, int sym)
{
    for (int j = 0; j < MCW_NWIN; j++) {
        if (i >= (size_t)mcw_len[j] && st->win[j].mode == sym) {
            if (++st->score[j] >= st->score[st->lead])
                st->lead = j;
        }
    }
}

/* ------------------------------------------------- per-symbol windows */

static ea_status state_init(mcw_state *st, int k)
{
    size_t ints = (size_t)MCW_NWIN * (size_t)k, off;
    char *mem;

    for (int j = 0; j < MCW_NWIN; j++)
        ints += (size_t)mcw_len[j] + 2;
    memset(st, 0, sizeof(*st));
    mem = calloc(1, (size_t)k * sizeof(size_t) + ints * sizeof(int));
    if (mem == NULL)
        return EA_ERR_NOMEM;
    st->mem = mem;
    st->k = k;
    st->last = (size_t *)(void *)mem;
    off = (size_t)k * sizeof(size_t);
    for (int j = 0; j < MCW_NWIN; j++) {
        mcw_window *wd = &st->win[j];
        wd->w = mcw_len[j];
        wd->cnt = (int *)(void *)(mem + off);
        off += (size_t)k * sizeof(int);
        wd->hist = (int *)(void *)(mem + off);
        off += ((size_t)wd->w + 2) * sizeof(int);
        wd->hist[0] = k;
    }
    return EA_OK;
}

/* One more occurrence of sym in the window. */
static inline void count_up(mcw_window *wd, int sym)
{
    wd->hist[wd->cnt[sym]]--;
    wd->hist[++wd->cnt[sym]]++;
}

/*
 * Fill each window with its first w samples. A symbol whose count
 * reaches the maximum becomes the mode: it is also the most recent.
 */
static void fill_windows(mcw_state *st, const uint8_t *s)
{
    for (int j = 0; j < MCW_NWIN; j++) {
        mcw_window *wd = &st->win[j];
        for (int i = 0; i < wd->w; i++) {
            count_up(wd, s[i]);
            if (wd->cnt[s[i]] >= wd->top) {
                wd->top = wd->cnt[s[i]];
                wd->mode = s[i];
            }
        }
    }
    for (size_t i = 0; i < MCW_LARGEST; i++)
        st->last[s[i]] = i;
}

/*
 * The symbol with count c whose latest occurrence is the most recent;
 * one exists in the window s[i-w+1..i].
 */
static int newest_with_count(const mcw_state *st, const mcw_window *wd,
                             const uint8_t *s, size_t i, int c)
{
    size_t steps = wd->w < MCW_LOOKBACK ? (size_t)wd->w : MCW_LOOKBACK;
    int best = -1;

    for (size_t t = 0; t < steps; t++) {
        if (wd->cnt[s[i - t]] == c)
            return s[i - t];
    }
    for (int sym = 0; sym < st->k; sym++) {
        if (wd->cnt[sym] == c && (best < 0 || st->last[sym] > st->last[best]))
            best = sym;
    }
    return best;
}

/* Move window wd one sample on: s[i-w] leaves, s[i] enters. */
static void slide(const mcw_state *st, mcw_window *wd, const uint8_t *s, size_t i)
{
    int out = s[i - (size_t)wd->w], in = s[i];
    int c_out, c_in;

    if (out == in) {
        /* Counts unchanged; `in` is now the most recent symbol. */
        if (wd->cnt[in] == wd->top)
            wd->mode = in;
        return;
    }
    /* Both counts are read before anything is written (out != in), so
     * the compiler need not reload them after the histogram stores. */
    c_out = wd->cnt[out];
    c_in = wd->cnt[in] + 1;
    wd->cnt[out] = c_out - 1;
    wd->cnt[in] = c_in;
    wd->hist[c_out]--;
    wd->hist[c_out - 1]++;
    wd->hist[c_in - 1]--;
    wd->hist[c_in]++;
    if (c_in < wd->top && out == wd->mode) {
        /* The mode lost a sample and nobody overtook it. */
        int c = wd->hist[wd->top] > 0 ? wd->top : wd->top - 1;
        wd->mode = newest_with_count(st, wd, s, i, c);
        wd->top = c;
        return;
    }
    /* `in` is the newest symbol: it wins when it reaches the maximum
     * (written as selects; this outcome is hard to predict). */
    wd->mode = c_in >= wd->top ? in : wd->mode;
    wd->top = c_in >= wd->top ? c_in : wd->top;
}

/* Guess, score and slide for samples from..to-1, one at a time. */
static void run_samples(mcw_state *st, const uint8_t *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        int sym = s[i];
        ea_guesses_add_one(&st->guesses, st->win[st->lead].mode == sym);
        score_windows(st, i, sym);
        st->last[sym] = i;
        for (int j = 0; j < MCW_NWIN; j++) {
            if (i >= (size_t)mcw_len[j])
                slide(st, &st->win[j], s, i);
        }
    }
}

/* -------------------------------------------------------- binary path */

#if defined(__SSE2__)
/*
 * Majority bits for 16 samples b..b+15 of a window of length w holding
 * `ones` ones before sample b: bit t = (ones + changes before b+t > w/2).
 * Advances *ones past the 16 samples.
 */
static unsigned majority16(const uint8_t *s, size_t b, int w, int *ones)
{
    const __m128i cur = _mm_loadu_si128((const __m128i *)(const void *)(s + b));
    const __m128i old = _mm_loadu_si128((const __m128i *)(const void *)(s + b - (size_t)w));
    __m128i sum = _mm_sub_epi8(cur, old);
    int thr = w / 2 - *ones;

    sum = _mm_add_epi8(sum, _mm_slli_si128(sum, 1));
    sum = _mm_add_epi8(sum, _mm_slli_si128(sum, 2));
    sum = _mm_add_epi8(sum, _mm_slli_si128(sum, 4));
    sum = _mm_add_epi8(sum, _mm_slli_si128(sum, 8));
    *ones += (int)(int8_t)(uint8_t)((unsigned)_mm_extract_epi16(sum, 7) >> 8);
    /* changes before each sample lie in [-15, 15]: clamp the threshold */
    thr = thr > 16 ? 16 : (thr < -17 ? -17 : thr);
    return (unsigned)_mm_movemask_epi8(
        _mm_cmpgt_epi8(_mm_slli_si128(sum, 1), _mm_set1_epi8((char)thr)));
}
#endif

/*
 * Majority bits of window w for the `len` samples from b, given `ones`,
 * the number of ones in s[b-w..b-1].
 */
static uint64_t majority_bits(const uint8_t *s, size_t b, int len, int w, int ones)
{
    int half = w / 2;
    uint64_t f = 0;

    /* Within the block the count moves by at most one per sample. */
    if (ones - (len - 1) > half)
        return ~UINT64_C(0);
    if (ones + (len - 1) <= half)
        return 0;
#if defined(__SSE2__)
    if (len == MCW_BLOCK) {
        for (int c = 0; c < MCW_BLOCK; c += 16)
            f |= (uint64_t)majority16(s, b + (size_t)c, w, &ones) << c;
        return f;
    }
#endif
    for (int t = 0; t < len; t++) {
        size_t i = b + (size_t)t;
        f |= (uint64_t)(ones > half) << t;
        ones += (int)s[i] - (int)s[i - (size_t)w];
    }
    return f;
}

/* Score one block given each window's mask of correct guesses. */
static void score_block(mcw_state *st, const uint64_t *hit, int len)
{
    int pc[MCW_NWIN], safe = 1;
    long lead_score = st->score[st->lead];
    uint64_t any = 0, guessed = 0;

    for (int j = 0; j < MCW_NWIN; j++) {
        pc[j] = ea_pop64(hit[j]);
        any |= hit[j];
        if (j != st->lead && st->score[j] + pc[j] >= lead_score)
            safe = 0;
    }
    if (safe) {
        /* No window can reach the leader's score inside this block. */
        guessed = hit[st->lead];
        for (int j = 0; j < MCW_NWIN; j++)
            st->score[j] += pc[j];
    } else {
        while (any != 0) {
            int t = ea_lowest_bit(any);
            any &= any - 1u;
            guessed |= hit[st->lead] & (UINT64_C(1) << t);
            /* Written without branches: hits here are as good as random. */
            for (int j = 0; j < MCW_NWIN; j++) {
                long h = (long)((hit[j] >> t) & 1u);
                long v = st->score[j] + h;
                st->score[j] = v;
                int take = (h != 0) & (v >= st->score[st->lead]);
                st->lead = take ? j : st->lead;
            }
        }
    }
    ea_guesses_add(&st->guesses, guessed, len);
}

/* Blocks of binary samples from b0 (a multiple of 64) to n. */
static ea_status run_binary(mcw_state *st, const uint8_t *s, size_t b0, size_t n)
{
    uint64_t *P = malloc(((n + 63) / 64 + 1) * sizeof(*P));   /* + a word for bits_at() */
    int ones[MCW_NWIN];

    if (P == NULL)
        return EA_ERR_NOMEM;
    ea_pack_bits(s, n, P, 1);
    for (int j = 0; j < MCW_NWIN; j++)
        ones[j] = st->win[j].cnt[1];
    for (size_t b = b0; b < n; b += MCW_BLOCK) {
        int len = n - b < MCW_BLOCK ? (int)(n - b) : MCW_BLOCK;
        uint64_t valid = ea_low_mask(len), x = P[b / 64] & valid, hit[MCW_NWIN];
        int px = ea_pop64(x);
        for (int j = 0; j < MCW_NWIN; j++) {
            int w = mcw_len[j];
            uint64_t f = majority_bits(s, b, len, w, ones[j]);
            hit[j] = ~(f ^ x) & valid;
            ones[j] += px - ea_pop64(bits_at(P, b - (size_t)w) & valid);
        }
        score_block(st, hit, len);
    }
    free(P);
    return EA_OK;
}

/* ------------------------------------------------------------- entry */

ea_status ea_multi_mcw(const uint8_t *s, size_t n, int k, ea_predictor_result *r)
{
    mcw_state st;
    ea_status rc;
    size_t stop;

    if (s == NULL || r == NULL || k < 2 || k > 256)
        return EA_ERR_ARG;
    if (n < MCW_LARGEST + 1)
        return EA_ERR_TOO_SHORT;
    if (n > (size_t)LONG_MAX || !ea_symbols_below(s, n, k))
        return EA_ERR_ARG;

    rc = state_init(&st, k);
    if (rc != EA_OK)
        return rc;
    fill_windows(&st, s);
    /* The binary path starts at the first block boundary after the
     * warm-up, where every window is full and scoring. */
    stop = k == 2 ? MCW_LARGEST + 1 : n;
    run_samples(&st, s, MCW_FIRST, stop < n ? stop : n);
    if (stop < n)
        rc = run_binary(&st, s, stop, n);
    free(st.mem);
    if (rc != EA_OK)
        return rc;
    return ea_predictor_finish(st.guesses.correct, (long)(n - MCW_FIRST), st.guesses.max_run, k, r);
}
