// A file compiled into two build targets with different macros is two
// translation units: the server's queue_message, built with -DWITH_SERVER,
// takes no lock, so the server's call under the connection's lock is no
// double lock; the client library's takes it, so this client's call under
// the lock is one. Either way round in the database, and from the cache.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/server-first "-I%S/Inputs" %S/Inputs/variant-queue.c:server:-DWITH_SERVER %S/Inputs/variant-server.c:server:-DWITH_SERVER %S/Inputs/variant-queue.c:client %s:client
// RUN: not %lockgraph check -p %t/server-first 2>&1 | FileCheck %s --implicit-check-not=warning:
// From the summary cache the same:
// RUN: not %lockgraph check -p %t/server-first 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/library-first "-I%S/Inputs" %S/Inputs/variant-queue.c:client %s:client %S/Inputs/variant-queue.c:server:-DWITH_SERVER %S/Inputs/variant-server.c:server:-DWITH_SERVER
// RUN: not %lockgraph check -p %t/library-first 2>&1 | FileCheck %s --implicit-check-not=warning:
#include "variant-queue.h"

static struct conn client_conn = {PTHREAD_MUTEX_INITIALIZER, 0};

int main(void) {
  pthread_mutex_lock(&client_conn.out_lock);
  // CHECK: [[@LINE+1]]:3: warning: double lock of 'client_conn.out_lock': 'queue_message' acquires it while it is already held (self-deadlock) [lockgraph-double-lock]
  queue_message(&client_conn);
  pthread_mutex_unlock(&client_conn.out_lock);
  return 0;
}
