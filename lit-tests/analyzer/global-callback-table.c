// Calls through a global function-pointer variable or table call what the
// program stores there: by initializer (`handlers[] = {on_open, on_close}`,
// `fallback = on_reset`) or assignment. dispatch() runs them holding
// table_lock; on_close takes io_lock, which flush() takes before
// table_lock: a cycle only visible through the table. Run without
// table_lock (UNLOCKED), there is none.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/ok "" %s
// RUN: not %lockgraph check -p %t/ok 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/unlocked "-DUNLOCKED" %s
// RUN: %lockgraph check -p %t/unlocked 2>&1 | count 0
#include <pthread.h>

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t io_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t reset_lock = PTHREAD_MUTEX_INITIALIZER;

static void on_open(int fd) { (void)fd; }
static void on_close(int fd) {
  pthread_mutex_lock(&io_lock);
  (void)fd;
  pthread_mutex_unlock(&io_lock);
}
static void on_reset(int fd) {
  pthread_mutex_lock(&reset_lock);
  (void)fd;
  pthread_mutex_unlock(&reset_lock);
}

static void (*const handlers[])(int) = {on_open, on_close};
static void (*fallback)(int) = on_reset;

void dispatch(int event, int fd) {
#ifndef UNLOCKED
  pthread_mutex_lock(&table_lock);
#endif
  if (event < 2)
    handlers[event](fd);
  else
    fallback(fd);
#ifndef UNLOCKED
  pthread_mutex_unlock(&table_lock);
#endif
}

void flush(void) {
  pthread_mutex_lock(&io_lock);
  pthread_mutex_lock(&table_lock);
  pthread_mutex_unlock(&table_lock);
  pthread_mutex_unlock(&io_lock);
}

void reset_all(void) {
  pthread_mutex_lock(&reset_lock);
  pthread_mutex_lock(&table_lock);
  pthread_mutex_unlock(&table_lock);
  pthread_mutex_unlock(&reset_lock);
}
// CHECK: global-callback-table.c:47:3: warning: potential deadlock: lock order cycle io_lock -> table_lock -> io_lock [lockgraph-lock-order]
// CHECK: global-callback-table.c:34:3: note: 'table_lock' acquired here
// CHECK-NEXT: global-callback-table.c:19:3: note: 'io_lock' acquired here while holding 'table_lock'
// CHECK-NEXT: global-callback-table.c:37:5: note: 'on_close' called here
// CHECK: global-callback-table.c:54:3: warning: potential deadlock: lock order cycle reset_lock -> table_lock -> reset_lock [lockgraph-lock-order]
// CHECK: global-callback-table.c:34:3: note: 'table_lock' acquired here
// CHECK-NEXT: global-callback-table.c:24:3: note: 'reset_lock' acquired here while holding 'table_lock'
// CHECK-NEXT: global-callback-table.c:39:5: note: 'on_reset' called here
