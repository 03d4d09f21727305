// C++ members named as `lockgraph check` names them (run-member-names.c):
// a lock wrapper's method called on the member (`mutex_.Lock()`), a member
// of a base class under a guard (`std::lock_guard g(base_mu_)`), a member of
// a class template (its name without the template's arguments), and a
// member reached through a lambda's captured `this`; the same at -O2, where
// the guard's and the lambda's code are inlined and the lambda's `this` has
// no location. Both halves report the same cycle. Also a member of what a
// method returns (`waiters_.front()->mu`), and a lock in an object built in
// a global byte buffer (leveldb's SingletonEnv): named by its member, not
// by the buffer's bytes (`g_env_storage.__data[8]`) or an offset.
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: rm -rf %t.graphs
// RUN: not %lockgraph run --keep-graphs=%t.graphs -- %t 2>&1 | FileCheck %s
// RUN: cat %t.graphs/*.json | FileCheck %s --check-prefix=NAMES
// RUN: %clangxx -O2 %s -o %t.o2
// RUN: not %lockgraph run -- %t.o2 2>&1 | FileCheck %s
// RUN: sh %S/../analyzer/Inputs/mkdb.sh %t.db "" %s
// RUN: not %lockgraph check -p %t.db --no-cache 2>&1 | FileCheck %s
#include <deque>
#include <mutex>
#include <new>
#include <thread>

struct Env {
  int pending = 0;
  std::mutex env_mu_;
  void schedule() {
    std::lock_guard<std::mutex> g(env_mu_);
    ++pending;
  }
};
alignas(Env) static unsigned char g_env_storage[sizeof(Env)];

struct Waiter {
  std::mutex mu;
};
struct WaitQueue {
  std::deque<Waiter *> waiters_;
  void wakeFirst(Env *env) {
    std::lock_guard<std::mutex> g(waiters_.front()->mu);
    env->schedule();
  }
};
// NAMES-DAG: "name": "Waiter::mu"
// NAMES-DAG: "name": "Env::env_mu_"
// NAMES-NOT: g_env_storage

namespace port {
class Mutex {
public:
  void Lock() { mu_.lock(); }
  void Unlock() { mu_.unlock(); }

private:
  std::mutex mu_;
};
} // namespace port

namespace db {
template <typename T> struct Box {
  std::mutex m;
  T value;
};
class Base {
protected:
  std::mutex base_mu_;
};
class Impl : public Base {
public:
  port::Mutex mutex_;
  Box<int> box_;
  void a() {
    mutex_.Lock();
    std::lock_guard<std::mutex> g(base_mu_);
    mutex_.Unlock();
  }
  void b() {
    std::lock_guard<std::mutex> g(this->base_mu_);
    auto f = [this] { std::lock_guard<std::mutex> h(box_.m); };
    f();
  }
  void c() {
    std::lock_guard<std::mutex> g(box_.m);
    mutex_.Lock();
    mutex_.Unlock();
  }
};
} // namespace db

// CHECK: warning: potential deadlock: lock order cycle db::Base::base_mu_ -> db::Box::m -> db::Impl::mutex_ -> db::Base::base_mu_ [lockgraph-lock-order]
int main() {
  db::Impl *impl = new db::Impl;
  std::thread t([&] { impl->a(); });
  t.join();
  std::thread u([&] { impl->b(); });
  u.join();
  std::thread v([&] { impl->c(); });
  v.join();
  WaitQueue q;
  q.waiters_.push_back(new Waiter);
  q.wakeFirst(new (g_env_storage) Env);
}
