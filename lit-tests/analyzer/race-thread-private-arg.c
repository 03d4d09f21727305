// Threads started in a loop, each with an object of its own as its argument
// (`&infos[i]`, `infos + i`, or one the loop allocates): the fields of that
// object are the thread's own, so writing one without the lock it takes
// elsewhere is no race (SQLite's threadtest4: each worker's WorkerInfo).
// Twin SHARED: every thread gets the same object, and the unlocked write
// is a race.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/own "" %s
// RUN: %lockgraph check -p %t/own 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/plus "-DPLUS" %s
// RUN: %lockgraph check -p %t/plus 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/alloc "-DALLOC" %s
// RUN: %lockgraph check -p %t/alloc 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/shared "-DSHARED" %s
// RUN: not %lockgraph check -p %t/shared 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>
#include <stdlib.h>

typedef struct {
  pthread_mutex_t *write_lock;
  int db;
} Info;

static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
  Info *p = arg;
  for (int i = 0; i < 10; i++) {
    pthread_mutex_lock(p->write_lock);
    p->db = i;
    pthread_mutex_unlock(p->write_lock);
    pthread_mutex_lock(p->write_lock);
    p->db += 1;
    pthread_mutex_unlock(p->write_lock);
    p->db = 0;
  }
  return 0;
}

int main(void) {
  Info infos[4];
  Info one = {&write_lock, 0};
  pthread_t threads[4];
  for (int i = 0; i < 4; i++) {
    infos[i].write_lock = &write_lock;
#if defined(SHARED)
    pthread_create(&threads[i], 0, worker, &one);
#elif defined(PLUS)
    pthread_create(&threads[i], 0, worker, infos + i);
#elif defined(ALLOC)
    Info *own = malloc(sizeof *own);
    own->write_lock = &write_lock;
    pthread_create(&threads[i], 0, worker, own);
#else
    pthread_create(&threads[i], 0, worker, &infos[i]);
#endif
  }
  for (int i = 0; i < 4; i++)
    pthread_join(threads[i], 0);
  return one.db;
}

// CHECK: race-thread-private-arg.c:34:8: warning: write to 'Info::db' without holding 'Info::write_lock', which guards it at 2 of 3 accesses [lockgraph-race]
