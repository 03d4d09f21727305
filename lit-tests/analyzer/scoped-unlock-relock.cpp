// A guard that unlocks for its scope and locks again when it dies (Poco's
// ScopedUnlock, used by Condition::wait, which gives the caller's mutex
// back before returning): the caller holds its lock again after the call
// and after the scope -- no false unlock-unheld when the caller unlocks,
// no false race on what it writes next (Poco's ConditionTest, ObjectPool).
// (Poco always makes it with unlockNow = false and unlocks by hand; an
// unlock in a constructor is not applied where the object is made.)
// NO_RELOCK: the destructor does not lock again; the caller's unlock after
// wait() unlocks what is no longer held.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/relock "" %s
// RUN: %lockgraph check -p %t/relock --no-cache 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/norelock "-DNO_RELOCK" %s
// RUN: not %lockgraph check -p %t/norelock --no-cache 2>&1 | FileCheck %s
#include <mutex>
#include <thread>

template <class M> class ScopedUnlock {
public:
  explicit ScopedUnlock(M &m, bool unlockNow = true) : m_(m) {
    if (unlockNow)
      m_.unlock();
  }
#ifdef NO_RELOCK
  ~ScopedUnlock() {}
#else
  ~ScopedUnlock() { m_.lock(); }
#endif

private:
  M &m_;
};

struct Condition {
  std::mutex internal;
  bool signalled = false;
  template <class M> void wait(M &m) {
    ScopedUnlock<M> relock(m, false);
    {
      std::lock_guard<std::mutex> g(internal);
      m.unlock();
    }
    for (;;) {
      std::lock_guard<std::mutex> g(internal);
      if (signalled)
        break;
    }
  }
  void signal() {
    std::lock_guard<std::mutex> g(internal);
    signalled = true;
  }
};

std::mutex mu;
Condition cond;
int size_ = 0;

void grow() {
  std::lock_guard<std::mutex> lock(mu);
  size_++;
}
void shrink() {
  std::lock_guard<std::mutex> lock(mu);
  size_--;
}

void waiter() {
  mu.lock();
  cond.wait(mu);
  // CHECK: scoped-unlock-relock.cpp:[[@LINE+1]]:6: warning: unlock of 'mu' which is not held on this path [lockgraph-unlock-unheld]
  mu.unlock();
}

void scopedWaiter() {
  std::lock_guard<std::mutex> lock(mu);
  cond.wait(mu);
  size_++;
}

int main() {
  std::thread a(waiter), c(grow), d(shrink), e(scopedWaiter);
  c.join();
  d.join();
  cond.signal();
  a.join();
  e.join();
}
