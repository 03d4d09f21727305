// A mutex freed while held (misuse the runtime does not report), its block
// allocated again at the same address and the mutex there try-locked: the
// new lock's instance is new, but the thread's held stack still has the
// freed one at that address, so the relock check looks it up and drops it.
// Before, that check was skipped for a new instance, and the freed hold
// stayed: the fprintf below was reported as made while holding it.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t 2>&1 | FileCheck %s --implicit-check-not=WARNING
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  char *p = malloc(256);
  memset(p, 0, 256);
  pthread_mutex_lock((pthread_mutex_t *)p);
  free(p);
  char *q = malloc(256);
  memset(q, 0, 256);
  int r = pthread_mutex_trylock((pthread_mutex_t *)q);
  pthread_mutex_unlock((pthread_mutex_t *)q);
  fprintf(stderr, "same block: %d, trylock: %d\n", p == q, r);
  return 0;
}

// CHECK: same block: 1, trylock: 0
