// A thread pool that joins its workers while holding the pool lock, but only
// workers that said, under that lock, that they are done (pigz's join_all):
// the worker's last acquisition of the lock came before the join could
// start, so the join cannot wait for a worker that waits for the lock. The
// cycle pool_mu -> thread:worker -> pool_mu is ruled out ("handshake"), not
// reported; the join is still a blocking call under the lock. Two ways the
// run shows the handshake: the joiner's hold began with a wait on the
// condition variable ("handshake"), or the worker's last hold of the lock
// notified it ("notified", the joiner found it done without waiting).
// The true positive twins, with neither: a join in a later hold than the
// wait's (the lock released and taken again) of a worker that took the lock
// again after it notified; a joiner that polls a flag the worker sets
// without notifying; a worker that takes the lock again after it notified,
// also when that acquisition does not reuse the notifying hold's entry
// (another lock taken outermost in between, or held around it), which only
// the thread's own note of the lock it notified under tells
// (join-holding-lock.c: a join with no wait of a worker that never notifies).
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: not %lockgraph run -- %t handshake 2>&1 | FileCheck %s --check-prefix=HANDSHAKE --implicit-check-not=wait-holding-lock
// RUN: not %lockgraph run --show-suppressed -- %t handshake 2>&1 | FileCheck %s --check-prefix=SHOWN
// RUN: not %lockgraph run --disable-filter=handshake -- %t handshake 2>&1 | FileCheck %s --check-prefix=UNFILTERED
// RUN: not %lockgraph run -- %t relocked 2>&1 | FileCheck %s --check-prefix=RELOCKED
// RUN: not %lockgraph run -- %t no-wait 2>&1 | FileCheck %s --check-prefix=NOWAIT
// RUN: not %lockgraph run --show-suppressed -- %t notified 2>&1 | FileCheck %s --check-prefix=NOTIFIED
// RUN: not %lockgraph run -- %t notified 2>&1 | FileCheck %s --check-prefix=HANDSHAKE --implicit-check-not=wait-holding-lock
// RUN: not %lockgraph run -- %t notified-relocked 2>&1 | FileCheck %s --check-prefix=NOTIFIED-RELOCKED
// RUN: not %lockgraph run -- %t notified-relocked-after-other 2>&1 | FileCheck %s --check-prefix=NOTIFIED-RELOCKED
// RUN: not %lockgraph run -- %t notified-relocked-under-other 2>&1 | FileCheck %s --check-prefix=NOTIFIED-RELOCKED
#include <pthread.h>
#include <string.h>
#include <unistd.h>

pthread_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t other_mu = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t pool_cv = PTHREAD_COND_INITIALIZER;
pthread_barrier_t worker_past_lock;
int done;
const char *mode;

static void *worker(void *p) {
  pthread_mutex_lock(&pool_mu);
  done = 1;
  if (strcmp(mode, "no-wait") != 0)
    pthread_cond_signal(&pool_cv);
  pthread_mutex_unlock(&pool_mu);
  if (strstr(mode, "relocked")) {
    if (strstr(mode, "other")) {
      pthread_mutex_lock(&other_mu);
      if (strstr(mode, "after-other"))
        pthread_mutex_unlock(&other_mu);
    }
    pthread_mutex_lock(&pool_mu);
    pthread_mutex_unlock(&pool_mu);
    if (strstr(mode, "under-other"))
      pthread_mutex_unlock(&other_mu);
  }
  if (strstr(mode, "relocked") || strcmp(mode, "notified") == 0)
    pthread_barrier_wait(&worker_past_lock);
  return p;
}

int main(int argc, char **argv) {
  mode = argc > 1 ? argv[1] : "handshake";
  pthread_barrier_init(&worker_past_lock, 0, 2);
  pthread_t t;
  if (strcmp(mode, "no-wait") == 0) {
    // Polls for done instead of waiting on the condition variable.
    pthread_create(&t, 0, worker, 0);
    for (;;) {
      pthread_mutex_lock(&pool_mu);
      if (done)
        break;
      pthread_mutex_unlock(&pool_mu);
      usleep(1000);
    }
  } else if (strncmp(mode, "notified", 8) == 0) {
    // The worker is done with the lock before this thread takes it: no wait.
    pthread_create(&t, 0, worker, 0);
    pthread_barrier_wait(&worker_past_lock);
    pthread_mutex_lock(&pool_mu);
  } else {
    // Locked before the worker starts, so the worker gets the lock only
    // once this thread waits: the wait always happens.
    pthread_mutex_lock(&pool_mu);
    pthread_create(&t, 0, worker, 0);
    while (!done)
      pthread_cond_wait(&pool_cv, &pool_mu);
    if (strcmp(mode, "relocked") == 0) {
      // Taken again once the worker is past its last hold.
      pthread_mutex_unlock(&pool_mu);
      pthread_barrier_wait(&worker_past_lock);
      pthread_mutex_lock(&pool_mu);
    }
  }
  pthread_join(t, 0);
  pthread_mutex_unlock(&pool_mu);
  return 0;
}

// HANDSHAKE: join-handshake.c:[[@LINE-5]]:{{[0-9]+}}: warning: blocking call 'pthread_join' while holding 'pool_mu'
// SHOWN: handshake: 'thread:worker' is only joined while holding 'pool_mu' after a condition-variable wait re-acquired it: the joiner waited
// UNFILTERED: join-handshake.c:[[@LINE-7]]:{{[0-9]+}}: warning: potential deadlock: joining 'thread:worker' while holding 'pool_mu', which the joined thread acquires: cycle pool_mu -> thread:worker -> pool_mu [lockgraph-wait-holding-lock]
// RELOCKED: join-handshake.c:[[@LINE-8]]:{{[0-9]+}}: warning: potential deadlock: joining 'thread:worker' while holding 'pool_mu'
// NOWAIT: join-handshake.c:[[@LINE-9]]:{{[0-9]+}}: warning: potential deadlock: joining 'thread:worker' while holding 'pool_mu'
// NOTIFIED: handshake: 'thread:worker' is only joined while holding 'pool_mu' after a condition-variable wait re-acquired it or after the thread notified a condition variable in its last hold of 'pool_mu'
// NOTIFIED-RELOCKED: join-handshake.c:[[@LINE-11]]:{{[0-9]+}}: warning: potential deadlock: joining 'thread:worker' while holding 'pool_mu'
