// hook_budget.so: a preload that adds a fixed amount of work to every
// pthread_mutex_lock and pthread_mutex_unlock and nothing else, to measure
// how much per-call work the lock microbench tolerates within a given
// overhead. Under contention every cycle a hook spends while the outermost
// lock is held (all nested acquisitions, all releases) lengthens the
// critical section both threads queue for, so the ratio grows much faster
// than the hooks' share of the uncontended time (lock_bench.py --budget).
//
//   LD_PRELOAD=hook_budget.so HOOK_BUDGET_SPINS=N lock_microbench ...
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>

static int (*real_lock)(pthread_mutex_t *);
static int (*real_unlock)(pthread_mutex_t *);
static int spins;

__attribute__((constructor)) static void init(void) {
  real_lock = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT, "pthread_mutex_lock");
  real_unlock = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT, "pthread_mutex_unlock");
  const char *n = getenv("HOOK_BUDGET_SPINS");
  spins = n ? atoi(n) : 0;
}

// One iteration: a load, an add and a store through a volatile (about 5
// cycles, bound by store-to-load forwarding).
static void spin(void) {
  for (volatile int i = 0; i < spins; i++) {
  }
}

int pthread_mutex_lock(pthread_mutex_t *m) {
  spin();
  return real_lock(m);
}

int pthread_mutex_unlock(pthread_mutex_t *m) {
  spin();
  return real_unlock(m);
}
