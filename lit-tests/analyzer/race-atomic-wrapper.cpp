// A class made only of atomics (zmq::atomic_ptr_t: a std::atomic<T *> with
// cas/xchg methods) synchronizes by itself: its non-const methods called
// without the lock are no race. One plain member among the atomics
// (COUNTED) makes it an ordinary class again.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/atomic "" %s
// RUN: %lockgraph check -p %t/atomic 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/counted "-DCOUNTED" %s
// RUN: not %lockgraph check -p %t/counted 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <atomic>
#include <mutex>
#include <thread>

template <typename T> class AtomicPtr {
public:
  T *xchg(T *Value) {
#ifdef COUNTED
    ++swaps_;
#endif
    return ptr_.exchange(Value);
  }
  T *cas(T *Expected, T *Desired) {
    ptr_.compare_exchange_strong(Expected, Desired);
    return Expected;
  }

private:
  std::atomic<T *> ptr_{nullptr};
#ifdef COUNTED
  int swaps_ = 0;
#endif
};

class Pipe {
public:
  void write(int *Item) {
    std::lock_guard<std::mutex> l(mu_);
    last_.xchg(Item);
  }
  void flush(int *Item) {
    std::lock_guard<std::mutex> l(mu_);
    last_.cas(nullptr, Item);
  }
  // The single reader, lock-free.
  int *read() {
    return last_.xchg(nullptr);
    // CHECK: race-atomic-wrapper.cpp:[[@LINE-1]]:12: warning: write to 'Pipe::last_' without holding 'Pipe::mu_', which guards it at 2 of 3 accesses [lockgraph-race]
  }

private:
  std::mutex mu_;
  AtomicPtr<int> last_;
};

Pipe g_pipe;
int g_items[2];

int main() {
  std::thread writer([] {
    g_pipe.write(&g_items[0]);
    g_pipe.flush(&g_items[1]);
  });
  std::thread reader([] { g_pipe.read(); });
  writer.join();
  reader.join();
}
