// hook_budget.so: a preload that adds a fixed amount of work to every
// pthread_mutex_lock and pthread_mutex_unlock and nothing else, to measure
// how much per-call work the lock microbench tolerates within a given
// overhead. Under contention every cycle a hook spends while the outermost
// lock is held (all nested acquisitions, all releases) lengthens the
// critical section both threads queue for, so the ratio grows much faster
// than the hooks' share of the uncontended time (lock_bench.py --budget).
//
//   LD_PRELOAD=hook_budget.so HOOK_BUDGET_MODE=bare|after|held \
//     [HOOK_BUDGET_SPINS=N] lock_microbench ...
//
// bare:  the hooks only call the real functions, as tail calls (a jump: no
//        frame of their own).
// after: the hooks look at the real call's result before returning, as a
//        detector must to record only acquisitions that succeeded: a frame
//        and a call instead of a jump. HOOK_BUDGET_SPINS adds N spins.
// held:  as after, keeping a per-thread stack of the held locks (address
//        and frame pushed before the real lock, the depth raised after it
//        succeeded, popped before the real unlock) and nothing else: the
//        least any lock-order detector does on every call.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int (*real_lock)(pthread_mutex_t *);
static int (*real_unlock)(pthread_mutex_t *);
static int spins;
static int bare = 1, keep_held;
static volatile int failures;

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
  const char *m = getenv("HOOK_BUDGET_MODE");
  bare = !m || strcmp(m, "bare") == 0;
  keep_held = m && strcmp(m, "held") == 0;
}

// One iteration: a load, an add and a store through a volatile (about 5
// cycles, bound by store-to-load forwarding). Not entered with no spins.
static void spin(void) {
  for (volatile int i = 0; i < spins; i++) {
  }
}

int pthread_mutex_lock(pthread_mutex_t *m) {
  if (bare)
    return real_lock(m);
  if (spins)
    spin();
  unsigned d = thread_held.depth;
  if (keep_held && d < MaxHeld) {
    thread_held.held[d].addr = (uintptr_t)m;
    thread_held.held[d].frame = (uintptr_t)__builtin_frame_address(0);
  }
  int r = real_lock(m);
  if (r != 0)
    failures = failures + 1;
  else if (keep_held)
    thread_held.depth = d + 1;
  return r;
}

int pthread_mutex_unlock(pthread_mutex_t *m) {
  if (bare)
    return real_unlock(m);
  if (spins)
    spin();
  unsigned d = thread_held.depth;
  if (keep_held && d && thread_held.held[d - 1].addr == (uintptr_t)m)
    thread_held.depth = d - 1;
  int r = real_unlock(m);
  if (r != 0)
    failures = failures + 1;
  return r;
}
