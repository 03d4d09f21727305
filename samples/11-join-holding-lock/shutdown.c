// Sample 11: joining a thread while holding a lock that thread needs.
//
// What goes wrong: the shutdown code takes state_mu to set the "stopping"
// flag and, still holding it, joins the flusher thread. If the flusher is
// about to take state_mu for its last flush, it blocks on the lock while the
// shutdown blocks on the join: neither finishes. No second lock is involved,
// so a lock-order check alone does not see it; lockgraph models the join as
// a node of the lock graph (state_mu -> thread:flusher -> state_mu).
//
// This run is sequenced so that it always finishes: the flusher is done with
// state_mu (a barrier) before the shutdown takes it. Both halves still
// report the cycle: it did not happen this time, and it can.
//
// Fixed twin: shutdown_fixed.c sets the flag under the lock and joins after
// releasing it.
// Check: lockgraph-wait-holding-lock (static and run time).
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
  pthread_join(worker, 0); // BUG: the flusher may need state_mu to finish
  pthread_mutex_unlock(&state_mu);

  printf("shutdown: flushed %d time(s), stopped\n", flushed);
  return 0;
}
