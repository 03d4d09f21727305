// As race-thread-private-arg.c, with std::thread: threads started in a loop
// with a function and an element of an array indexed by the loop's
// variable each write their own element's field. Twin SHARED: every thread
// gets the same object, and the unlocked write is a race. In twin METHOD the
// element is the object a method runs on, and the method writes a field of
// its argument, which all threads share: a race.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/own "" %s
// RUN: %lockgraph check -p %t/own 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/shared "-DSHARED" %s
// RUN: not %lockgraph check -p %t/shared 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/method "-DMETHOD" %s
// RUN: not %lockgraph check -p %t/method 2>&1 | FileCheck %s --check-prefix=METHOD --implicit-check-not=warning:
#include <mutex>
#include <thread>
#include <vector>

struct Info {
  std::mutex *write_lock;
  int db = 0;
#ifdef METHOD
  void run(Info *shared);
#endif
};

static std::mutex write_lock;

static void worker(Info *p) {
  for (int i = 0; i < 10; i++) {
    {
      std::lock_guard<std::mutex> g(*p->write_lock);
      p->db = i;
    }
    {
      std::lock_guard<std::mutex> g(*p->write_lock);
      p->db += 1;
    }
    p->db = 0;
  }
}

#ifdef METHOD
void Info::run(Info *shared) { worker(shared); }
#endif

int main() {
  Info infos[4];
  Info one;
  one.write_lock = &write_lock;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; i++) {
    infos[i].write_lock = &write_lock;
#if defined(SHARED)
    threads.emplace_back(worker, &one);
#elif defined(METHOD)
    threads.emplace_back(&Info::run, &infos[i], &one);
#else
    threads.emplace_back(worker, &infos[i]);
#endif
  }
  for (std::thread &t : threads)
    t.join();
  return one.db;
}

// CHECK: race-thread-private-arg.cpp:37:8: warning: write to 'Info::db' without holding 'Info::write_lock', which guards it at 2 of 3 accesses [lockgraph-race]
// METHOD: race-thread-private-arg.cpp:42:32: warning: call to 'worker' writes 'Info::db' without holding 'Info::write_lock', which guards it at 2 of 3 accesses [lockgraph-race]
