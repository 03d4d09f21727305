// Unannotated lock wrappers, as googletest has them: a Mutex class whose
// Lock()/Unlock() call pthread, and a guard that stores a Mutex* and locks it
// in its constructor. Both are recognised from their bodies. A function that
// drops and retakes a lock its caller holds is not an unlock of an unheld lock.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <pthread.h>

class Mutex {
public:
  Mutex() { pthread_mutex_init(&mu_, nullptr); }
  void Lock() { pthread_mutex_lock(&mu_); }
  void Unlock() { pthread_mutex_unlock(&mu_); }

private:
  pthread_mutex_t mu_;
};

class MutexLock {
public:
  explicit MutexLock(Mutex *mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() { mu_->Unlock(); }

private:
  Mutex *const mu_;
};

Mutex g_registry_mu, g_log_mu;

void registerTest() {
  MutexLock l(&g_registry_mu);
  MutexLock m(&g_log_mu);
}

void flushLog() {
#ifdef FIXED
  MutexLock l(&g_registry_mu);
  MutexLock m(&g_log_mu);
#else
  MutexLock m(&g_log_mu);
  MutexLock l(&g_registry_mu);
  // CHECK: raii-wrappers.cpp:[[@LINE-1]]:13: warning: potential deadlock: lock order cycle g_log_mu -> g_registry_mu -> g_log_mu [lockgraph-lock-order]
#endif
}

// Requires g_log_mu held; drops it around slow work and retakes it.
void slowLocked() {
  g_log_mu.Unlock();
  g_log_mu.Lock();
}
void caller() {
  MutexLock m(&g_log_mu);
  slowLocked();
}
