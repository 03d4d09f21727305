// Two programs' functions of one name: the client's load_config is the
// clients' shared file's (a library's, built into several targets), not
// the admin tool's (built into the admin target, first in the database):
// the shared one takes state_lock under the client's options_lock, and the
// client's other thread takes them in the other order, a cycle. Twin
// NO_LOCK: the shared load_config takes no lock, and there is none.
// RUN: rm -rf %t
// RUN: sh %S/Inputs/mkdb.sh %t/client "-I%S/Inputs" %S/Inputs/cfg-admin-options.c:admin %S/Inputs/cfg-admin-main.c:admin %S/Inputs/cfg-client-shared.c: %s:client
// RUN: not %lockgraph check -p %t/client 2>&1 | FileCheck %s
// RUN: sh %S/Inputs/mkdb.sh %t/nolock "-I%S/Inputs -DNO_LOCK" %S/Inputs/cfg-admin-options.c:admin %S/Inputs/cfg-admin-main.c:admin %S/Inputs/cfg-client-shared.c: %s:client
// RUN: %lockgraph check -p %t/nolock 2>&1 | count 0
#include "cfg-locks.h"

static void *save_state(void *arg) {
  (void)arg;
  pthread_mutex_lock(&state_lock);
  pthread_mutex_lock(&options_lock);
  pthread_mutex_unlock(&options_lock);
  pthread_mutex_unlock(&state_lock);
  return 0;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, 0, save_state, 0);
  pthread_mutex_lock(&options_lock);
  load_config();
  pthread_mutex_unlock(&options_lock);
  pthread_join(t, 0);
  return 0;
}

// CHECK: warning: potential deadlock: lock order cycle options_lock -> state_lock -> options_lock [lockgraph-lock-order]
