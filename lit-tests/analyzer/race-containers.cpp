// Containers: a call of a non-const member function writes the container,
// unless the class has a const overload of it (find, begin, operator[] of a
// vector: picked only because the object is not const), in which case it is
// a read, and a write through its result (`v[i] = x`) writes the container.
// A write holding a shared_mutex only shared is not guarded. Lambdas that no
// thread runs (a wait predicate) run where they are created, with its locks.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <condition_variable>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

class Table {
public:
  int find(const std::string &k) {
    std::shared_lock<std::shared_mutex> l(mu_);
    auto it = rows_.find(k); // a read: map::find has a const overload
    return it == rows_.end() ? -1 : it->second;
  }
  void put(const std::string &k, int v) {
    std::unique_lock<std::shared_mutex> l(mu_);
    rows_[k] = v;
  }
  void erase(const std::string &k) {
#ifdef FIXED
    std::unique_lock<std::shared_mutex> l(mu_);
#else
    std::shared_lock<std::shared_mutex> l(mu_);
#endif
    rows_.erase(k);
#ifndef FIXED
    // CHECK: race-containers.cpp:[[@LINE-2]]:5: warning: write to 'Table::rows_' while holding 'Table::mu_' only shared, which guards it at 4 of 4 accesses [lockgraph-race]
    // CHECK-NEXT: race-containers.cpp:27:5: note: 'Table::rows_' written here holding 'Table::mu_'
    // CHECK-NEXT: race-containers.cpp:22:15: note: 'Table::rows_' read here holding 'Table::mu_'
    // CHECK-NEXT: race-containers.cpp:23:18: note: 'Table::rows_' read here holding 'Table::mu_'
#endif
  }

private:
  std::shared_mutex mu_;
  std::map<std::string, int> rows_;
};

class Slots {
public:
  void set(int i, int v) {
    std::lock_guard<std::mutex> l(mu_);
    slots_[i] = v;
    cv_.notify_all();
  }
  void grow() {
    std::lock_guard<std::mutex> l(mu_);
    slots_.push_back(0);
  }
  void clear(int i) {
#ifdef FIXED
    std::lock_guard<std::mutex> l(mu_);
#endif
    slots_[i] = 0;
#ifndef FIXED
    // CHECK: race-containers.cpp:[[@LINE-2]]:5: warning: write to 'Slots::slots_' without holding 'Slots::mu_', which guards it at 3 of 4 accesses [lockgraph-race]
#endif
  }
  void waitNonEmpty() {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [this] { return !slots_.empty(); });
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<int> slots_;
};
