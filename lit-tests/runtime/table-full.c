// 400,000 lock pairs, all recorded (max_edges_per_path=0), fill the edge
// set: the exit report says that some were not recorded, also when it has
// nothing else to say (a clean report is what the warning qualifies). By
// default the call path samples them, the set does not fill, and the note
// says how many acquisitions were not recorded instead.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload LOCKGRAPH_OPTIONS=max_edges_per_path=0 %t 2>&1 | FileCheck %s --check-prefix=ALL
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s --check-prefix=SAMPLED
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  enum { N = 400000 };
  pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_t *inner = calloc(N, sizeof(pthread_mutex_t)); // unlocked
  pthread_mutex_lock(&outer);
  for (int i = 0; i < N; ++i) {
    pthread_mutex_lock(&inner[i]);
    pthread_mutex_unlock(&inner[i]);
  }
  pthread_mutex_unlock(&outer);
  fprintf(stderr, "done\n");
  return 0;
}

// ALL: done
// ALL-NEXT: lockgraph: warning: a runtime table is full; some locks or edges were not recorded
// ALL-NOT: lockgraph:

// SAMPLED: done
// SAMPLED-NOT: table is full
// SAMPLED: lockgraph: note: 398720 lock acquisitions were not recorded
