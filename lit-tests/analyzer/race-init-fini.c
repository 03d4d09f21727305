// A C function named as an initializer or finalizer (nng's
// nni_dialer_sys_init, reached from nni_init under its init lock at the
// start of every API call) is C's constructor: what it accesses, itself or
// through its calls, is no race access, and does not make the init lock
// look like the guard of a table every other access reads and writes under
// its own lock (nng: 26 races "without holding 'nni_plat_init_lock'"). Twin
// PREPARE: the same function under another name is an ordinary function,
// and its writes under the init lock outnumber the others.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/init "" %s
// RUN: %lockgraph check -p %t/init 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/prepare "-DPREPARE" %s
// RUN: not %lockgraph check -p %t/prepare 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>

static pthread_mutex_t g_init_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_dialers_lk = PTHREAD_MUTEX_INITIALIZER;
static int g_ndialers, g_cap;

#ifdef PREPARE
#define dialer_sys_init dialer_sys_prepare
#endif
static void dialer_sys_init(void) {
  g_ndialers = 0;
  g_cap = 16;
  g_ndialers = g_cap - 16;
  if (g_cap > 8)
    g_ndialers = 0;
}

static void api_enter(void) {
  pthread_mutex_lock(&g_init_lock);
  dialer_sys_init();
  pthread_mutex_unlock(&g_init_lock);
}

static void *dial(void *p) {
  api_enter();
  pthread_mutex_lock(&g_dialers_lk);
  g_ndialers++; // CHECK: race-init-fini.c:[[@LINE]]:{{[0-9]+}}: warning: write to 'g_ndialers' without holding 'g_init_lock'
  pthread_mutex_unlock(&g_dialers_lk);
  return p;
}

static void *listen_(void *p) {
  api_enter();
  return p;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, 0, dial, 0);
  pthread_create(&b, 0, listen_, 0);
  pthread_join(a, 0);
  pthread_join(b, 0);
  return 0;
}
