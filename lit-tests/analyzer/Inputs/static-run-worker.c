// Workers of race-static-and-global-of-one-name.c: a file's own `run`
// (SHARED: the other file's).
#include <pthread.h>

#if defined(SHARED)
extern int run;
#else
static int run = 1;
#endif
static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
  (void)arg;
  pthread_mutex_lock(&run_lock);
  if (run)
    run = 0;
  pthread_mutex_unlock(&run_lock);
  return 0;
}

void start_workers(pthread_t t[2]) {
  pthread_create(&t[0], 0, worker, 0);
  pthread_create(&t[1], 0, worker, 0);
}
