// A descriptor made non-blocking through a pointer (`fcntl(*sock, ...)`)
// and handed back through out-parameters into an object's fields
// (libmosquitto's net__socketpair(&mosq->sockpairR, &mosq->sockpairW),
// whose descriptors net__socket_nonblock(&sv[i]) made O_NONBLOCK): a write
// to such a field under a lock does not block, when all is one file
// (ONE_FILE) and when the pair is made in one file, stored into the fields
// by a second and written by a third (net_mosq.c, mosquitto.c and
// packet_mosq.c). Twins BLOCKING: the pair stays blocking, and the write is
// reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/one "-I%S/Inputs -DONE_FILE" %s
// RUN: %lockgraph check -p %t/one 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/one-blocking "-I%S/Inputs -DONE_FILE -DBLOCKING" %s
// RUN: not %lockgraph check -p %t/one-blocking 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/files "-I%S/Inputs" %s %S/Inputs/wake-pair.c %S/Inputs/wake-init.c
// RUN: %lockgraph check -p %t/files 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/files-blocking "-I%S/Inputs -DBLOCKING" %s %S/Inputs/wake-pair.c %S/Inputs/wake-init.c
// RUN: not %lockgraph check -p %t/files-blocking 2>&1 | FileCheck %s --implicit-check-not=warning:
#include "wake-pair.h"
#include <unistd.h>

#if defined(ONE_FILE)
#include "wake-init.c"
#include "wake-pair.c"
#endif

void wake(struct loop *l) {
  char byte = 0;
  pthread_mutex_lock(&l->mutex);
  // CHECK: [[@LINE+1]]:7: warning: blocking call to 'write' while holding 'loop::mutex' [lockgraph-blocking-under-lock]
  if (write(l->wake_write, &byte, 1) < 0) {
  }
  pthread_mutex_unlock(&l->mutex);
}

int main(void) {
  struct loop l;
  init_loop(&l);
  wake(&l);
  return 0;
}
