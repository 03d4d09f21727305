// A missing unlock whose path unlocks another lock of the same object, one
// the function never acquired and releases on no other path: the wrong
// mutex was unlocked (nng's http_server_set_err unlocks `s->mtx` where it
// took `s->errors_mtx`). The finding says so. A function that releases its
// caller's lock on every path (release_then_fail) gets no such note; the
// fixed function (FIXED) no finding.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=instead
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <pthread.h>
#include <stdlib.h>

struct server {
  pthread_mutex_t mtx;
  pthread_mutex_t errors_mtx;
  void *page;
};

int set_error_page(struct server *s) {
  pthread_mutex_lock(&s->errors_mtx);
  if (s->page == NULL) {
    if ((s->page = malloc(16)) == NULL) {
#ifdef FIXED
      pthread_mutex_unlock(&s->errors_mtx);
#else
      pthread_mutex_unlock(&s->mtx);
#endif
      return -1;
    }
  }
  pthread_mutex_unlock(&s->errors_mtx);
  return 0;
}

// Called with s->mtx held; hands it back on every path.
int release_then_fail(struct server *s) {
  pthread_mutex_unlock(&s->mtx);
  pthread_mutex_lock(&s->errors_mtx);
#ifndef FIXED
  if (s->page == NULL)
    return -1;
#endif
  pthread_mutex_unlock(&s->errors_mtx);
  return 0;
}

void handler(struct server *s) {
  set_error_page(s);
  pthread_mutex_lock(&s->mtx);
  release_then_fail(s);
}

// CHECK: missing-unlock-wrong-lock.c:29:7: warning: 'server::errors_mtx' is still held when 'set_error_page' returns on this path [lockgraph-missing-unlock]
// CHECK-NEXT: missing-unlock-wrong-lock.c:21:3: note: 'server::errors_mtx' acquired here
// CHECK-NEXT: missing-unlock-wrong-lock.c:27:7: note: 'server::mtx' released here instead, which 'set_error_page' did not acquire
// CHECK-NEXT: missing-unlock-wrong-lock.c:42:5: warning: 'server::errors_mtx' is still held when 'release_then_fail' returns on this path [lockgraph-missing-unlock]
// CHECK-NEXT: missing-unlock-wrong-lock.c:39:3: note: 'server::errors_mtx' acquired here

