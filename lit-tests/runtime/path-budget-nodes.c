// Wait-node edges are sampled along call paths as lock pairs are: a thread
// that signals one new condition variable after another while holding a
// lock (nng: one per task, each a new cv -> lock edge), or takes one new
// lock after another outermost (each a new thread:X -> lock edge), records
// the first 1,024 along that path, then 256 more (they are all new), and
// samples the other 1,720 of 3,000, which the exit note counts. Without the
// limit all are recorded.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=verbosity=2 %t signals 2>&1 | FileCheck %s --check-prefix=SAMPLED
// RUN: env LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=verbosity=2 %t outermost 2>&1 | FileCheck %s --check-prefix=SAMPLED
// RUN: env LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=verbosity=2:max_edges_per_path=0 %t signals 2>&1 | FileCheck %s --check-prefix=ALL
// RUN: env LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=verbosity=2:max_edges_per_path=0 %t outermost 2>&1 | FileCheck %s --check-prefix=ALL
#include "Inputs/path_budget.h"

#include <string.h>

enum { Many = 3000 };
pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t cvs[Many];
pthread_mutex_t locks[Many];

static void *signal_each(void *p) {
  pthread_mutex_lock(&outer);
  for (int i = 0; i < Many; ++i)
    pthread_cond_signal(&cvs[i]);
  pthread_mutex_unlock(&outer);
  return p;
}

static void *take_each(void *p) {
  for (int i = 0; i < Many; ++i)
    touch(&locks[i]);
  return p;
}

int main(int argc, char **argv) {
  for (int i = 0; i < Many; ++i) {
    pthread_cond_init(&cvs[i], 0);
    pthread_mutex_init(&locks[i], 0);
  }
  run(strcmp(argv[1], "signals") == 0 ? signal_each : take_each);
  return 0;
}

// SAMPLED: lockgraph: stats: {{.*}}, 1720 acquisitions on full call paths not recorded
// ALL: lockgraph: stats: {{.*}}, 0 acquisitions on full call paths not recorded
