// hook_budget.so: a preload that adds a fixed amount of work to every
// pthread_mutex_lock and pthread_mutex_unlock and nothing else, to measure
// how much per-call work the lock microbench tolerates within a given
// overhead. Under contention every cycle a hook spends while the outermost
// lock is held (all nested acquisitions, all releases) lengthens the
// critical section both threads queue for, so the ratio grows much faster
// than the hooks' share of the uncontended time (lock_bench.py --budget).
//
//   LD_PRELOAD=hook_budget.so HOOK_BUDGET_SPINS=N lock_microbench ...
//   LD_PRELOAD=hook_budget.so HOOK_BUDGET_HELD=1 lock_microbench ...
//
// With no spins the hooks only call the real functions: a bare interposer.
// With HOOK_BUDGET_HELD=1 they keep a per-thread stack of the held locks
// (address and frame pushed before the real lock, popped before the real
// unlock) and do nothing else: the least any lock-order detector does on
// every call, without looking anything up or recording anything.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

static int (*real_lock)(pthread_mutex_t *);
static int (*real_unlock)(pthread_mutex_t *);
static int spins;
static int keep_held;

enum { MaxHeld = 64 };
struct held_lock {
  uintptr_t addr;
  uintptr_t frame;
};
static __thread __attribute__((tls_model("initial-exec"))) struct {
  unsigned depth;
  struct held_lock held[MaxHeld];
} thread_held;

__attribute__((constructor)) static void init(void) {
  real_lock = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT, "pthread_mutex_lock");
  real_unlock = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT, "pthread_mutex_unlock");
  const char *n = getenv("HOOK_BUDGET_SPINS");
  spins = n ? atoi(n) : 0;
  const char *h = getenv("HOOK_BUDGET_HELD");
  keep_held = h && atoi(h);
}

// One iteration: a load, an add and a store through a volatile (about 5
// cycles, bound by store-to-load forwarding). Not entered with no spins:
// the loop's first store and load alone cost a bare interposer 0.3x of
// native uncontended on this machine kind.
static void spin(void) {
  for (volatile int i = 0; i < spins; i++) {
  }
}

int pthread_mutex_lock(pthread_mutex_t *m) {
  if (spins)
    spin();
  unsigned d = thread_held.depth;
  if (keep_held && d < MaxHeld) {
    thread_held.held[d].addr = (uintptr_t)m;
    thread_held.held[d].frame = (uintptr_t)__builtin_frame_address(0);
  }
  int r = real_lock(m);
  if (keep_held && r == 0)
    thread_held.depth = d + 1;
  return r;
}

int pthread_mutex_unlock(pthread_mutex_t *m) {
  if (spins)
    spin();
  unsigned d = thread_held.depth;
  if (keep_held && d && thread_held.held[d - 1].addr == (uintptr_t)m)
    thread_held.depth = d - 1;
  return real_unlock(m);
}
