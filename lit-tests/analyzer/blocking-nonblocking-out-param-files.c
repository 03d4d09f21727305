// The descriptors of blocking-nonblocking-out-param.c, made non-blocking in
// one file, stored into the loop's fields by a second one and written by a
// third (libmosquitto's net_mosq.c, mosquitto.c and packet_mosq.c): the
// write under the lock does not block. Twin BLOCKING: the pair stays
// blocking, and the write is reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/nb "-I%S/Inputs" %s %S/Inputs/wake-pair.c %S/Inputs/wake-init.c
// RUN: %lockgraph check -p %t/nb 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/blocking "-I%S/Inputs -DBLOCKING" %s %S/Inputs/wake-pair.c %S/Inputs/wake-init.c
// RUN: not %lockgraph check -p %t/blocking 2>&1 | FileCheck %s --implicit-check-not=warning:
#include "wake-pair.h"
#include <unistd.h>

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
