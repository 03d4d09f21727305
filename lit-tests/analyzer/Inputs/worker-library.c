// The library of race-program-library-thread.c: its worker thread counts
// under its lock.
#include "worker-library.h"

int counter;
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;

static void *work(void *arg) {
  (void)arg;
  pthread_mutex_lock(&counter_lock);
  if (counter < 100)
    counter = counter + 1;
  pthread_mutex_unlock(&counter_lock);
  return 0;
}

void start_worker(pthread_t *thread) { pthread_create(thread, 0, work, 0); }
