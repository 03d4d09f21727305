// The branch where a pthread initializer failed is not taken: glibc's
// pthread_mutex_init and pthread_cond_init do not fail for the attributes it
// supports. nng's nni_plat_mtx_init retries every 10 ms while
// pthread_mutex_init fails, and every object created under a lock made that
// sleep a finding (50 on nng). Twin OTHER: the same retry loop around a call
// that can fail (pipe) still sleeps under the lock, and is reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/init "" %s
// RUN: %lockgraph check -p %t/init 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/other "-DOTHER" %s
// RUN: not %lockgraph check -p %t/other 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>
#include <unistd.h>

struct conn {
  pthread_mutex_t mtx;
  int fds[2];
};

static pthread_mutex_t g_registry = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutexattr_t g_attr;

static void conn_init(struct conn *c) {
#ifdef OTHER
  while (pipe(c->fds) != 0)
    usleep(10000);
#else
  while (pthread_mutex_init(&c->mtx, &g_attr) != 0 &&
         pthread_mutex_init(&c->mtx, NULL) != 0)
    usleep(10000);
#endif
}

void conn_register(struct conn *c) {
  pthread_mutex_lock(&g_registry);
  conn_init(c);
  // CHECK: blocking-init-failure.c:[[@LINE-1]]:3: warning: call to 'conn_init' may block in 'usleep' while holding 'g_registry' [lockgraph-blocking-under-lock]
  pthread_mutex_unlock(&g_registry);
}
