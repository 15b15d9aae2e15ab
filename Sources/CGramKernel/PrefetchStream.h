// The caller's next rows, fetched from memory a slice per block while a tile
// kernel's arithmetic keeps the cores busy (k-means streams its data once a
// pass): the Float, bfloat16 and int16 tile kernels share it.
#ifndef CLUS_PREFETCH_STREAM_H
#define CLUS_PREFETCH_STREAM_H

typedef struct {
    const char *next, *end;
    long slice;   // bytes per block, a multiple of the 64-byte line
} clus_prefetch_stream;

// `bytes` from `start` (none when start is NULL) spread over `blocks` blocks.
static inline clus_prefetch_stream clus_prefetch_stream_make(const void *start, long bytes, long blocks) {
    clus_prefetch_stream s;
    s.next = start;
    s.end = s.next + (start ? bytes : 0);
    s.slice = start && blocks > 0 ? (bytes / blocks + 63) / 64 * 64 : 0;
    return s;
}

// One block's slice.
static inline void clus_prefetch_step(clus_prefetch_stream *s) {
    for (long o = 0; o < s->slice && s->next < s->end; o += 64, s->next += 64) __builtin_prefetch(s->next, 0, 2);
}

#endif
