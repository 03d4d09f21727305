// Sample 11, fixed twin of shutdown.c: the shutdown sets the flag under
// state_mu and joins the flusher after releasing it, so the flusher can
// always take the lock it needs to finish. lockgraph stays silent.
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t state_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t flushed_once;
static int stopping;
static int flushed;

static void *flusher(void *arg) {
  pthread_mutex_lock(&state_mu);
  if (!stopping)
    ++flushed;
  pthread_mutex_unlock(&state_mu);
  pthread_barrier_wait(&flushed_once);
  return arg;
}

int main(void) {
  pthread_barrier_init(&flushed_once, 0, 2);
  pthread_t worker;
  pthread_create(&worker, 0, flusher, 0);
  pthread_barrier_wait(&flushed_once);

  // Shut down: tell the flusher to stop, then wait for it.
  pthread_mutex_lock(&state_mu);
  stopping = 1;
  pthread_mutex_unlock(&state_mu);
  pthread_join(worker, 0);

  printf("shutdown: flushed %d time(s), stopped\n", flushed);
  return 0;
}
