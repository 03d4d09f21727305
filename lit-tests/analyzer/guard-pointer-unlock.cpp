// A guard that keeps a pointer to the mutex it is given by reference
// (Poco's ScopedLockWithUnlock: `_pMutex(&mutex)`) is a scoped guard of
// that mutex, and its own unlock() called on it releases the mutex before
// the scope ends: the copy made under it is no race (Poco's
// NotificationCenter::postNotification, AbstractEvent::notify), and the
// sleep after lock.unlock() is no blocking call under the lock. BUG: the
// sleep comes before the unlock, and is reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/ok "" %s
// RUN: %lockgraph check -p %t/ok --no-cache 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/bug "-DBUG" %s
// RUN: not %lockgraph check -p %t/bug --no-cache 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <chrono>
#include <list>
#include <mutex>
#include <thread>

template <class M> class ScopedLockWithUnlock {
public:
  explicit ScopedLockWithUnlock(M &mutex) : pMutex_(&mutex) { pMutex_->lock(); }
  ~ScopedLockWithUnlock() { unlock(); }
  void unlock() {
    if (pMutex_) {
      pMutex_->unlock();
      pMutex_ = nullptr;
    }
  }

private:
  M *pMutex_;
};

struct NotificationCenter {
  std::mutex mu_;
  std::list<int> observers_;
  void addObserver(int o) {
    std::lock_guard<std::mutex> g(mu_);
    observers_.push_back(o);
  }
  void removeObserver(int o) {
    std::lock_guard<std::mutex> g(mu_);
    observers_.remove(o);
  }
  int postNotification() {
    ScopedLockWithUnlock<std::mutex> lock(mu_);
    std::list<int> copy(observers_);
#ifdef BUG
    // CHECK: guard-pointer-unlock.cpp:[[@LINE+1]]:5: warning: blocking call to 'std::this_thread::sleep_for' while holding 'NotificationCenter::mu_' [lockgraph-blocking-under-lock]
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
#endif
    lock.unlock();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    int sum = 0;
    for (int o : copy)
      sum += o;
    return sum;
  }
};

int main() {
  NotificationCenter nc;
  std::thread t([&] {
    nc.addObserver(1);
    nc.removeObserver(1);
  });
  int n = nc.postNotification();
  t.join();
  return n;
}
