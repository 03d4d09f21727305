// A custom mutex and guard annotated with Clang thread-safety attributes
// (the way absl::Mutex / absl::MutexLock are) work without further setup.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0

#define CAPABILITY(x) __attribute__((capability(x)))
#define SCOPED_CAPABILITY __attribute__((scoped_lockable))
#define ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))
#define TRY_ACQUIRE(...) __attribute__((try_acquire_capability(__VA_ARGS__)))

namespace base {
class CAPABILITY("mutex") Mutex {
public:
  void Lock() ACQUIRE();
  void Unlock() RELEASE();
  bool TryLock() TRY_ACQUIRE(true);

private:
  int state_ = 0;
};
class SCOPED_CAPABILITY MutexLock {
public:
  explicit MutexLock(Mutex *mu) ACQUIRE(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() RELEASE() { mu_->Unlock(); }

private:
  Mutex *mu_;
};
} // namespace base

class Registry {
public:
  void add();
  void dump();

private:
  base::Mutex names_mu_;
  base::Mutex index_mu_;
};

void Registry::add() {
  base::MutexLock l(&names_mu_);
  index_mu_.Lock();
  index_mu_.Unlock();
}

void Registry::dump() {
#ifdef FIXED
  base::MutexLock l(&names_mu_);
  base::MutexLock m(&index_mu_);
#else
  base::MutexLock m(&index_mu_);
  base::MutexLock l(&names_mu_);
  // CHECK: capability-annotations.cpp:[[@LINE-1]]:19: warning: potential deadlock: lock order cycle Registry::index_mu_ -> Registry::names_mu_ -> Registry::index_mu_ [lockgraph-lock-order]
#endif
  // A tested TryLock never blocks and holds only on success.
  if (index_mu_.TryLock())
    index_mu_.Unlock();
}
