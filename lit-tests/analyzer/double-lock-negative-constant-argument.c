// A negative constant or an enumerator passed for a parameter rules out
// what the callee does only under the opposite comparison (memcached's
// do_accept_new_conns calls maxconns_handler(-42, ...), which re-enables
// accepting, under conn_lock again, only when fd != -42). Twin OTHER: the
// call under the lock passes another descriptor, and re-locks.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/timer "" %s
// RUN: %lockgraph check -p %t/timer 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/other "-DOTHER" %s
// RUN: not %lockgraph check -p %t/other 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>
#include <stdbool.h>

static pthread_mutex_t conn_lock = PTHREAD_MUTEX_INITIALIZER;
enum source { FROM_TIMER = -7, FROM_SOCKET = 1 };

void accept_new_conns(bool do_accept);
void reschedule(void);

static void maxconns_handler(int fd, enum source from) {
  if (fd == -42 || from == FROM_TIMER)
    reschedule();
  else
    accept_new_conns(true);
}

static void do_accept_new_conns(bool do_accept) {
  if (!do_accept) {
#if defined(OTHER)
    maxconns_handler(3, FROM_SOCKET);
#else
    maxconns_handler(-42, FROM_SOCKET);
    maxconns_handler(3, FROM_TIMER);
#endif
  }
}

void accept_new_conns(bool do_accept) {
  pthread_mutex_lock(&conn_lock);
  // CHECK: [[@LINE+1]]:3: warning: double lock of 'conn_lock': 'do_accept_new_conns' acquires it while it is already held (self-deadlock) [lockgraph-double-lock]
  do_accept_new_conns(do_accept);
  pthread_mutex_unlock(&conn_lock);
}
