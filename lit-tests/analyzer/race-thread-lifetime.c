// main writes without the lock only where the threads that use the variables
// are not running: each file's workers are started and joined in one
// iteration of the file loop (a producer and a consumer by name, a pool in
// an array field, joined in a loop of its own), and the long-lived thread
// that runs meanwhile never touches them (pbzip2's main and terminator).
// A worker still running in the next iteration (joined after the loop), or a
// long-lived thread that reads the flag, makes main's write a race.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/ok "" %s
// RUN: %lockgraph check -p %t/ok 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/leak "-DJOIN_AFTER_LOOP" %s
// RUN: not %lockgraph check -p %t/leak 2>&1 | FileCheck %s --check-prefix=LEAK --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/reads "-DWATCHER_READS" %s
// RUN: not %lockgraph check -p %t/reads 2>&1 | FileCheck %s --check-prefix=READS --implicit-check-not=warning:
#include <pthread.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int done, blocks;

struct pool {
  pthread_t workers[4];
};

static int get_done(void) {
  pthread_mutex_lock(&mu);
  int d = done;
  pthread_mutex_unlock(&mu);
  return d;
}

static void *watcher(void *arg) {
#ifdef WATCHER_READS
  while (!get_done())
    ;
#endif
  return arg;
}

static void *producer(void *arg) {
  pthread_mutex_lock(&mu);
  done = 1;
  pthread_mutex_unlock(&mu);
  return arg;
}

static void *consumer(void *arg) {
  while (!get_done())
    ;
  return arg;
}

static void *worker(void *arg) {
  pthread_mutex_lock(&mu);
  ++blocks;
  pthread_mutex_unlock(&mu);
  return arg;
}

int main(int argc, char **argv) {
  pthread_t w, p, c;
  struct pool pool;
  pthread_create(&w, 0, watcher, 0);
  for (int i = 1; i < argc; i++) {
    done = 0;
    // LEAK: race-thread-lifetime.c:[[@LINE-1]]:5: warning: write to 'done' without holding 'mu', which guards it at 2 of 3 accesses [lockgraph-race]
    // READS: race-thread-lifetime.c:[[@LINE-2]]:5: warning: write to 'done' without holding 'mu', which guards it at 3 of 4 accesses [lockgraph-race]
    blocks = 0;
    pthread_create(&p, 0, producer, argv[i]);
    pthread_create(&c, 0, consumer, argv[i]);
    for (int k = 0; k < 4; k++)
      if (pthread_create(&pool.workers[k], 0, worker, 0) != 0)
        return 1;
    for (int k = 0; k < 4; k++)
      pthread_join(pool.workers[k], 0);
#ifndef JOIN_AFTER_LOOP
    pthread_join(p, 0);
#endif
    pthread_join(c, 0);
  }
#ifdef JOIN_AFTER_LOOP
  pthread_join(p, 0);
#endif
  pthread_join(w, 0);
  return blocks;
}
