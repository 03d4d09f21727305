// A function that returns one result holding a lock and other results
// having released it is a conditional lock function, as a trylock is:
// SQLite's vdbeUnbind returns SQLITE_OK holding the database mutex and an
// error code after releasing it, and its callers unlock on SQLITE_OK. No
// missing unlock there; its callers hold the lock where the result says
// so (the write under it is reported, the unlock on the OK branch is not
// of an unheld lock). In the BUG build one error path returns OK (0), as
// the holding path does: that is a missing unlock. (An error path that
// returns -1 holding the lock is one too: missing-unlock.cpp.) NEGATIVE:
// the error code after releasing it is -1 (APR's lock functions), an
// enumerator in ENUM: the same.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/ok "" %s
// RUN: not %lockgraph check -p %t/ok 2>&1 | FileCheck %s --check-prefix=OK --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/negative "-DNEGATIVE" %s
// RUN: not %lockgraph check -p %t/negative 2>&1 | FileCheck %s --check-prefix=OK --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/enum "-DENUM" %s
// RUN: not %lockgraph check -p %t/enum 2>&1 | FileCheck %s --check-prefix=OK --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/bug "-DBUG" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --check-prefix=BUG
#include <pthread.h>
#include <unistd.h>

#define DB_OK 0
#if defined(NEGATIVE)
#define DB_RANGE -1
#define DB_MISUSE -2
#elif defined(ENUM)
enum { DB_RANGE = 25, DB_MISUSE = 21 };
#else
#define DB_RANGE 25
#define DB_MISUSE 21
#endif

struct db {
  pthread_mutex_t mutex;
  int nvar;
};

int misuse_error(int line);

static int unbind(struct db *p, int i) {
  if (!p)
    return misuse_error(__LINE__);
  pthread_mutex_lock(&p->mutex);
  if (i >= p->nvar) {
    pthread_mutex_unlock(&p->mutex);
#ifdef BUG
    return DB_OK;
#else
    return DB_RANGE;
#endif
  }
  // BUG: [[@LINE+1]]:3: warning: 'db::mutex' is still held when 'unbind' returns on this path [lockgraph-missing-unlock]
  return DB_OK;
}

int bind_value(struct db *p, int i, int fd) {
  int rc = unbind(p, i);
  if (rc == DB_OK) {
    // OK: [[@LINE+1]]:5: warning: blocking call to 'write' while holding 'db::mutex' [lockgraph-blocking-under-lock]
    write(fd, "v", 1);
    pthread_mutex_unlock(&p->mutex);
  }
  return rc;
}


