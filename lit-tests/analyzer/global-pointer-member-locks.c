// A lock reached through a global pointer (`T->locks[i]`, `T->meta`) is the
// member of the type it points to, as it is through a local pointer or a
// parameter: `table::locks[]`, not `T.locks[]` (which is a global struct's
// own array). A thread that takes the table's locks through its argument and
// main taking them through the global in the other order make a cycle; it
// was missed when the two named one array two ways. The fixed twin takes
// them in the same order and is silent.
// RUN: sh %S/Inputs/mkdb.sh %t "" %s
// RUN: not %lockgraph check -p %t --no-cache 2>&1 | FileCheck %s
// RUN: sh %S/Inputs/mkdb.sh %t.fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t.fixed --no-cache 2>&1 | count 0
#include <pthread.h>
#include <stdlib.h>

struct table {
  int n;
  pthread_mutex_t locks[8];
  pthread_mutex_t meta;
};
struct table *T;

static void *worker(void *arg) {
  struct table *t = arg;
  pthread_mutex_lock(&t->locks[t->n % 8]);
  pthread_mutex_lock(&t->meta);
  pthread_mutex_unlock(&t->meta);
  pthread_mutex_unlock(&t->locks[t->n % 8]);
  return 0;
}

int main(void) {
  T = calloc(1, sizeof *T);
  pthread_t th;
  pthread_create(&th, 0, worker, T);
#ifdef FIXED
  pthread_mutex_lock(&T->locks[3]);
  pthread_mutex_lock(&T->meta);
  pthread_mutex_unlock(&T->meta);
  pthread_mutex_unlock(&T->locks[3]);
#else
  pthread_mutex_lock(&T->meta);
  pthread_mutex_lock(&T->locks[3]);
  pthread_mutex_unlock(&T->locks[3]);
  pthread_mutex_unlock(&T->meta);
#endif
  pthread_join(th, 0);
  return 0;
}

// CHECK: global-pointer-member-locks.c:25:3: warning: potential deadlock: lock order cycle table::locks[] -> table::meta -> table::locks[] [lockgraph-lock-order]
// CHECK: global-pointer-member-locks.c:42:3: note: 'table::locks[]' acquired here while holding 'table::meta'
