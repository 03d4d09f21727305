// A once-initialization orders locks as a lock does. The initializer of
// `config_once` takes `registry`; another thread, holding `registry`, calls
// pthread_once while the initializer still runs and waits for it. This run
// does not deadlock (the initializer had released `registry` before the other
// thread took it), but had the other thread come first it would: a cycle
// between the once and `registry` is reported, with both places.
// Twins: the caller that holds no lock while it waits; one that calls after
// the initialization is done (no wait: nothing recorded); an initializer that
// writes to a file (a blocking call under the once alone is no finding), its
// caller holding no lock. And C11 call_once, which glibc runs below the PLT,
// hooked on its own.
// REQUIRES: runtime
// RUN: %clang %s -o %t
// RUN: env LD_PRELOAD=%preload %t cycle 2>&1 | FileCheck %s
// RUN: env LD_PRELOAD=%preload %t c11 2>&1 | FileCheck %s --check-prefix=C11
// RUN: env LD_PRELOAD=%preload %t unlocked 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: env LD_PRELOAD=%preload %t done 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: env LD_PRELOAD=%preload %t blocking 2>&1 | FileCheck %s --check-prefix=CLEAN
// CHECK: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// CHECK-NEXT: Cycle in lock order graph: config_once ({{.*}}) => registry ({{.*}}) => config_once
// CHECK: Lock registry acquired here while holding config_once (thread T0):
// C11: WARNING: lockgraph: lock-order-inversion (potential deadlock)
// C11-NEXT: Cycle in lock order graph: c11_config_once ({{.*}}) => registry ({{.*}}) => c11_config_once
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <threads.h>
#include <unistd.h>

static pthread_mutex_t registry = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t config_once = PTHREAD_ONCE_INIT;
static once_flag c11_config_once = ONCE_FLAG_INIT;
static atomic_int registry_released, caller_waits;
static const char *mode;

static void load_config(void) {
  pthread_mutex_lock(&registry); // CHECK-NEXT: #0 load_config {{.*}}once-cycle.c:[[@LINE]]
  pthread_mutex_unlock(&registry);
  if (strcmp(mode, "blocking") == 0) {
    FILE *f = fopen("/dev/null", "w");
    fputs("config\n", f);
    fflush(f);
    fclose(f);
  }
  atomic_store(&registry_released, 1);
  // Keep initializing until the other thread waits for it (or 2 s).
  for (int i = 0; i < 200 && !atomic_load(&caller_waits); ++i)
    usleep(10000);
  usleep(50000);
}

static void *caller(void *arg) {
  while (!atomic_load(&registry_released))
    usleep(1000);
  int locked = strcmp(mode, "unlocked") != 0 && strcmp(mode, "blocking") != 0;
  if (locked)
    pthread_mutex_lock(&registry);
  atomic_store(&caller_waits, 1);
  if (strcmp(mode, "c11") == 0)
    call_once(&c11_config_once, load_config); // C11: #0 caller {{.*}}once-cycle.c:[[@LINE]]
  else
    pthread_once(&config_once, load_config); // CHECK: #0 caller {{.*}}once-cycle.c:[[@LINE]]
  if (locked)
    pthread_mutex_unlock(&registry);
  return arg;
}

int main(int argc, char **argv) {
  mode = argc > 1 ? argv[1] : "cycle";
  pthread_t t;
  if (strcmp(mode, "done") == 0) {
    pthread_once(&config_once, load_config); // done before the caller starts
    atomic_store(&caller_waits, 1);
  }
  pthread_create(&t, 0, caller, 0);
  if (strcmp(mode, "c11") == 0)
    call_once(&c11_config_once, load_config);
  else
    pthread_once(&config_once, load_config);
  pthread_join(t, 0);
  printf("done\n");
  return 0;
}

// CHECK: SUMMARY: lockgraph: lock-order-inversion
// CLEAN-NOT: lockgraph
// CLEAN: done
// CLEAN-NOT: lockgraph
