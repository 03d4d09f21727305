// The lock of a callback wrapper a method makes for itself (Poco's
// FunctionDelegate, locked around the handler it calls) is on that local
// object, not on the object the handler writes: it guards none of the
// handler's writes, so the writes made without it elsewhere are no race
// (41 false races in Poco's BasicEventTest and PriorityEventTest). A public
// static member function is no entry any thread may call on a shared
// object: it has no object. RACE: the counter is declared guarded by its
// own lock, which the handlers do not hold: their writes are reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/ok "" %s
// RUN: %lockgraph check -p %t/ok --no-cache 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/race "-DRACE" %s
// RUN: not %lockgraph check -p %t/race --no-cache 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <mutex>
#include <thread>

struct Delegate {
  std::mutex mu_;
  void (*fn_)(void *);
  explicit Delegate(void (*f)(void *)) : fn_(f) {}
  void notify(void *p) {
    std::lock_guard<std::mutex> g(mu_);
    if (fn_)
      // CHECK-DAG: race-local-wrapper-lock.cpp:[[@LINE+1]]:7: warning: call to 'Counter::onA' writes 'Counter::count_' without holding 'Counter::own_mu_'
      fn_(p);
  }
};

class Counter {
public:
  static void onA(void *p) { static_cast<Counter *>(p)->count_++; }
  static void onB(void *p) { static_cast<Counter *>(p)->count_++; }
  static void onC(void *p) { static_cast<Counter *>(p)->count_ += 100; }
  static void onD(void *p) { static_cast<Counter *>(p)->count_++; }
  void notifyAll() {
    Delegate a(onA), b(onB), c(onC), d(onD);
    a.notify(this);
    b.notify(this);
    c.notify(this);
    d.notify(this);
    seen_ = count_;
  }
  void notifyAsync() {
    Delegate a(onA);
    std::thread t([&] { a.notify(this); });
    t.join();
    seen_ = count_;
  }
  // CHECK-DAG: race-local-wrapper-lock.cpp:[[@LINE+1]]:18: warning: write to 'Counter::count_' without holding 'Counter::own_mu_'
  void reset() { count_ = 0; }

private:
  std::mutex own_mu_;
#ifdef RACE
  int count_ __attribute__((guarded_by(own_mu_))) = 0;
#else
  int count_ = 0;
#endif
  int seen_ = 0;
};
