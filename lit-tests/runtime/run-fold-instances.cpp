// Poco's shape: every lock is taken in MutexImpl::lockImpl, called by
// Mutex::lock, called by a ScopedLock<M> template guard. Those are lock
// wrappers (a trailing "Impl" is the same call; a template guard's
// constructor is a guard's), so each lock is named by the member the
// program's own code locks (Task::mu_, Manager::mu_), not by a line in the
// guard. Three tasks, each its own pair of instances in the same order
// cycle at the same code, are one finding "(seen 3 times)", whose
// fingerprint carries no instance numbers.
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: not %lockgraph run --format=json -o %t.json -- %t
// RUN: not %lockgraph run -- %t 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: FileCheck %s --check-prefix=JSON < %t.json
#include <pthread.h>
#include <thread>

class MutexImpl {
protected:
  MutexImpl() { pthread_mutex_init(&mutex_, nullptr); }
  __attribute__((noinline)) void lockImpl() { pthread_mutex_lock(&mutex_); }
  __attribute__((noinline)) void unlockImpl() { pthread_mutex_unlock(&mutex_); }

private:
  pthread_mutex_t mutex_;
};

class Mutex : private MutexImpl {
public:
  __attribute__((noinline)) void lock() { lockImpl(); }
  __attribute__((noinline)) void unlock() { unlockImpl(); }
};

template <class M> class ScopedLock {
public:
  __attribute__((noinline)) explicit ScopedLock(M &mutex) : mutex_(mutex) { mutex_.lock(); }
  __attribute__((noinline)) ~ScopedLock() { mutex_.unlock(); }

private:
  M &mutex_;
};

struct Manager;
struct Task {
  Mutex mu_;
  Manager *owner = nullptr;
  int progress = 0;
  void setProgress(int p);
};
struct Manager {
  Mutex mu_;
  void start(Task *t) {
    ScopedLock<Mutex> lock(mu_);
    ScopedLock<Mutex> taskLock(t->mu_);
    t->owner = this;
  }
  void progressChanged() { ScopedLock<Mutex> lock(mu_); }
};
void Task::setProgress(int p) {
  ScopedLock<Mutex> lock(mu_);
  progress = p;
  // CHECK: warning: potential deadlock: lock order cycle {{Task::mu_ -> Manager::mu_ -> Task::mu_|Manager::mu_ -> Task::mu_ -> Manager::mu_}} (seen 3 times) [lockgraph-lock-order]
  owner->progressChanged();
}

int main() {
  for (int i = 0; i < 3; ++i) {
    Manager *m = new Manager;
    Task *t = new Task;
    // Sibling threads: neither starts or joins the other.
    std::thread([m, t] { m->start(t); }).join();
    std::thread([t] { t->setProgress(50); }).join();
  }
}
// JSON: "fingerprint_key": "cycle:{{[A-Za-z:_ >-]+}}"
