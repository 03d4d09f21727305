// A wait cycle whose locks' order and wait were all seen in the waiting
// thread, with only the notifier's edge from another, is no deadlock of
// its own: main takes three mutexes in order and waits on the condition
// variable with each in turn, and each notifier takes only the mutex the
// wait releases (APR's testcond dynamic_binding). The cycle of the first
// mutex alone is reported; the longer ones through main's own order are
// ruled out by the single-thread filter (and reported without it).
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: not %lockgraph run -- %t 2>&1 | grep 'warning:.*\[lockgraph-wait-holding-lock\]' | count 1
// RUN: not %lockgraph run --disable-filter=single-thread -- %t 2>&1 | grep 'warning:.*\[lockgraph-wait-holding-lock\]' | count 3
#include <pthread.h>
#include <stdlib.h>

enum { Waits = 3 };
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;

static void *notify(void *arg) {
  pthread_mutex_t *mine = arg;
  pthread_mutex_lock(mine);
  pthread_cond_signal(&changed);
  pthread_mutex_unlock(mine);
  return NULL;
}

int main(void) {
  pthread_t threads[Waits];
  pthread_mutex_t *mutexes[Waits];
  for (int i = 0; i < Waits; i++) {
    mutexes[i] = malloc(sizeof *mutexes[i]);
    pthread_mutex_init(mutexes[i], NULL);
    pthread_mutex_lock(mutexes[i]);
    pthread_create(&threads[i], NULL, notify, mutexes[i]);
  }
  for (int i = 0; i < Waits; i++)
    pthread_cond_wait(&changed, mutexes[i]);
  for (int i = 0; i < Waits; i++)
    pthread_mutex_unlock(mutexes[i]);
  for (int i = 0; i < Waits; i++)
    pthread_join(threads[i], NULL);
  return 0;
}
