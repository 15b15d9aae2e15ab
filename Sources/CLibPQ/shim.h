#include <libpq-fe.h>

/* Rows arrive a chunk at a time where libpq has chunked mode (17 and later),
   one at a time otherwise (Debian 12's libpq 15): either way the whole result
   never sits in memory as text. */
static inline int clus_pq_set_row_mode(PGconn *conn, int rows) {
#ifdef LIBPQ_HAS_CHUNK_MODE
    return PQsetChunkedRowsMode(conn, rows);
#else
    (void)rows;
    return PQsetSingleRowMode(conn);
#endif
}

/* PGRES_TUPLES_CHUNK where libpq has it, else a status no result carries. */
static inline int clus_pq_tuples_chunk(void) {
#ifdef LIBPQ_HAS_CHUNK_MODE
    return PGRES_TUPLES_CHUNK;
#else
    return -1;
#endif
}
