// A thread pool that joins its workers while holding the pool lock, but only
// the workers that said they are done, under that lock, after it waited for
// them on a condition variable (pigz's join_all): each worker's last
// acquisition of the lock comes before the join can start, so the join
// cannot wait for a worker that waits for the lock. The cycle pool_mu ->
// thread:worker -> pool_mu is ruled out ("handshake"), not reported; the
// join is still a blocking call under the lock.
// The true positive twins: a join under the lock with no wait (join-holding-lock.c
// also covers it), and a join in a hold of the lock that began after the
// wait's hold ended (the lock released and taken again in between).
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: not %lockgraph run -- %t handshake 2>&1 | FileCheck %s --check-prefix=HANDSHAKE --implicit-check-not=wait-holding-lock
// RUN: not %lockgraph run --show-suppressed -- %t handshake 2>&1 | FileCheck %s --check-prefix=SHOWN
// RUN: not %lockgraph run --disable-filter=handshake -- %t handshake 2>&1 | FileCheck %s --check-prefix=UNFILTERED
// RUN: not %lockgraph run -- %t relocked 2>&1 | FileCheck %s --check-prefix=RELOCKED
// RUN: not %lockgraph run -- %t no-wait 2>&1 | FileCheck %s --check-prefix=NOWAIT
#include <pthread.h>
#include <string.h>
#include <unistd.h>

pthread_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t pool_cv = PTHREAD_COND_INITIALIZER;
int done;

static void *worker(void *p) {
  pthread_mutex_lock(&pool_mu);
  done = 1;
  pthread_cond_signal(&pool_cv);
  pthread_mutex_unlock(&pool_mu);
  return p;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "handshake";
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
  } else {
    // Locked before the worker starts, so the worker gets the lock only
    // once this thread waits: the wait always happens.
    pthread_mutex_lock(&pool_mu);
    pthread_create(&t, 0, worker, 0);
    while (!done)
      pthread_cond_wait(&pool_cv, &pool_mu);
    if (strcmp(mode, "relocked") == 0) {
      pthread_mutex_unlock(&pool_mu);
      pthread_mutex_lock(&pool_mu);
    }
  }
  pthread_join(t, 0);
  pthread_mutex_unlock(&pool_mu);
  return 0;
}

// HANDSHAKE: join-handshake.c:59:{{[0-9]+}}: warning: blocking call 'pthread_join' while holding 'pool_mu'
// SHOWN: handshake: 'thread:worker' is only joined while holding 'pool_mu' after a condition-variable wait re-acquired it
// UNFILTERED: join-handshake.c:59:{{[0-9]+}}: warning: potential deadlock: joining 'thread:worker' while holding 'pool_mu', which the joined thread acquires: cycle pool_mu -> thread:worker -> pool_mu [lockgraph-wait-holding-lock]
// RELOCKED: join-handshake.c:59:{{[0-9]+}}: warning: potential deadlock: joining 'thread:worker' while holding 'pool_mu'
// NOWAIT: join-handshake.c:59:{{[0-9]+}}: warning: potential deadlock: joining 'thread:worker' while holding 'pool_mu'
