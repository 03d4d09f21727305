// A lock taken under a compound condition and released under the same one
// later (unbound's libworker_setup: `if (!w->is_bg || w->is_bg_thread)`
// around both) is no missing unlock, nor held by the calls in between
// where the condition was false. OTHER: the release tests another
// condition; ASSIGNED: an operand changes in between: both reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/same "" %s
// RUN: %lockgraph check -p %t/same 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/other "-DOTHER" %s
// RUN: not %lockgraph check -p %t/other 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/assigned "-DASSIGNED" %s
// RUN: not %lockgraph check -p %t/assigned 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>
#include <stdlib.h>

struct ctx {
  pthread_mutex_t cfglock;
  int seed;
};
struct worker {
  int is_bg, is_bg_thread;
  void *scratch;
};
void *regional_create(int size);

struct worker *worker_setup(struct ctx *ctx, int is_bg) {
  struct worker *w = calloc(1, sizeof(*w));
  if (!w)
    return NULL;
  w->is_bg = is_bg;
  if (!w->is_bg || w->is_bg_thread)
    pthread_mutex_lock(&ctx->cfglock);
  w->scratch = regional_create(ctx->seed);
#if defined(ASSIGNED)
  w->is_bg_thread = ctx->seed;
#endif
#if defined(OTHER)
  if (!w->is_bg)
#else
  if (!w->is_bg || w->is_bg_thread)
#endif
    pthread_mutex_unlock(&ctx->cfglock);
  // CHECK: [[@LINE+1]]:3: warning: 'ctx::cfglock' is still held when 'worker_setup' returns on this path [lockgraph-missing-unlock]
  return w;
}
