// Swift 6 rejects C mutable globals and variadic functions under strict
// concurrency; these wrappers are the small surface the shell needs.
#ifndef CLUS_CEDITLINE_SHIM_H
#define CLUS_CEDITLINE_SHIM_H

#include <stdio.h>
#include <stdlib.h>
#include <editline/readline.h>

typedef char **clus_completion_fn(const char *text, int start, int end);
typedef char *clus_generator_fn(const char *text, int state);

static inline void clus_rl_set_completion(clus_completion_fn *fn) {
    rl_attempted_completion_function = fn;
}
static inline void clus_rl_set_append_character(int c) { rl_completion_append_character = c; }
static inline void clus_rl_set_outstream(FILE *f) { rl_outstream = f; }
static inline FILE *clus_stderr(void) { return stderr; }
static inline const char *clus_rl_line_buffer(void) { return rl_line_buffer; }
static inline void clus_rl_set_readline_name(const char *name) { rl_readline_name = (char *)name; }
static inline void clus_rl_set_word_break_characters(const char *chars) {
    rl_basic_word_break_characters = (char *)chars;
}
static inline char **clus_rl_completion_matches(const char *text, clus_generator_fn *gen) {
    return rl_completion_matches(text, gen);
}
static inline void clus_rl_suppress_default_completion(void) { rl_attempted_completion_over = 1; }

#endif
