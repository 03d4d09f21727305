// A lock still held on some path out of a function that otherwise releases it.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <cstdlib>
#include <mutex>
#include <pthread.h>

std::mutex g_mu;
pthread_mutex_t g_table = PTHREAD_MUTEX_INITIALIZER;
int g_value;

int update(int v) {
  g_mu.lock();
  if (v < 0) {
#ifdef FIXED
    g_mu.unlock();
#endif
    return -1;
#ifndef FIXED
    // CHECK: missing-unlock.cpp:[[@LINE-2]]:5: warning: 'g_mu' is still held when 'update' returns on this path [lockgraph-missing-unlock]
    // CHECK-NEXT: missing-unlock.cpp:[[@LINE-8]]:8: note: 'g_mu' acquired here
#endif
  }
  g_value = v;
  g_mu.unlock();
  return 0;
}

int cUpdate(int v) {
  pthread_mutex_lock(&g_table);
  if (v == 0) {
#ifdef FIXED
    pthread_mutex_unlock(&g_table);
#endif
    return 1;
#ifndef FIXED
    // CHECK: missing-unlock.cpp:[[@LINE-2]]:5: warning: 'g_table' is still held when 'cUpdate' returns on this path [lockgraph-missing-unlock]
#endif
  }
  g_value = v;
  pthread_mutex_unlock(&g_table);
  return 0;
}

// A function that always returns holding the lock is a lock function, a
// function that returns holding it after a successful try-lock is a
// conditional lock function, and a path that ends the program does not return.
std::mutex g_second;
bool lockBoth() {
  g_mu.lock();
  if (g_second.try_lock())
    return true;
  g_mu.unlock();
  return false;
}
void lockAll() { g_mu.lock(); }
void checked(int v) {
  g_mu.lock();
  if (v < 0)
    abort();
  g_mu.unlock();
}

// A function that locks on one path and releases the lock on none is not
// leaking it: it returns holding it when it succeeded (memcached's
// assoc_get_iterator returns NULL before locking), or it is a pause/resume
// pair whose resume path releases its caller's lock.
pthread_mutex_t g_maintenance = PTHREAD_MUTEX_INITIALIZER;
void *getIterator() {
  void *It = malloc(16);
  if (!It)
    return nullptr;
  pthread_mutex_lock(&g_maintenance);
  return It;
}
void pauseOrResume(bool Pause) {
  if (Pause)
    pthread_mutex_lock(&g_maintenance);
  else
    pthread_mutex_unlock(&g_maintenance);
}
