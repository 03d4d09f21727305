// Threads a library starts through one trampoline (Poco's runnableEntry,
// libuv's uv__thread_start, nng's nni_thr_wrap) are classes by where they
// were created, not one class of the trampoline: joining, while holding L,
// a thread that never takes L is no cycle, although another thread started
// through the same trampoline takes L. Joining, holding L, the thread that
// took L is one, and the class is named by the trampoline and the place
// its creation chain differs from the other's.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: not %lockgraph run -- %t > %t.out 2>&1
// RUN: FileCheck %s --input-file=%t.out --implicit-check-not=lockgraph-wait-holding-lock
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t L = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t done_with_lock;

struct job {
  void (*fn)(void);
};
static void *trampoline(void *arg) {
  ((struct job *)arg)->fn();
  return 0;
}
static void start(pthread_t *t, struct job *j) { pthread_create(t, 0, trampoline, j); }

static void takes_lock(void) {
  pthread_mutex_lock(&L);
  pthread_mutex_unlock(&L);
  pthread_barrier_wait(&done_with_lock);
}
static void sleeps(void) { usleep(1000); }

int main(void) {
  struct job locker = {takes_lock}, sleeper = {sleeps};
  pthread_t a, b;
  pthread_barrier_init(&done_with_lock, 0, 2);
  start(&a, &locker);
  pthread_barrier_wait(&done_with_lock);
  start(&b, &sleeper);
  pthread_mutex_lock(&L);
  pthread_join(b, 0);
  pthread_join(a, 0);
  pthread_mutex_unlock(&L);
  return 0;
}

// CHECK: join-trampoline-classes.c:[[#@LINE-5]]:3: warning: potential deadlock: joining 'thread:trampoline (join-trampoline-classes.c:[[#@LINE-10]])' while holding 'L', which the joined thread acquires: cycle L -> thread:trampoline (join-trampoline-classes.c:[[#@LINE-10]]) -> L [lockgraph-wait-holding-lock]
