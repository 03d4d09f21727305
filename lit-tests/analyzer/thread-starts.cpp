// Thread starts and joins are recognised in one place (BodyFacts.h) for
// lockgraph-wait-holding-lock (which thread a join waits for) and
// lockgraph-race (which functions threads run, and when they are gone).
// The entry forms: a functor, std::bind, a cast function pointer; C11
// thrd_create / thrd_join; std::future::wait (declared in a base class of
// std::future) ends the threads' span, wait_for does not.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/db "" %s
// RUN: not %lockgraph check -p %t/db 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <functional>
#include <future>
#include <mutex>
#include <pthread.h>
#include <thread>
#include <threads.h>

std::mutex M;
int state;

struct Bump {
  void operator()() const {
    std::lock_guard<std::mutex> G(M);
    ++state;
  }
};

void take(int N) {
  std::lock_guard<std::mutex> G(M);
  state += N;
}

void joinFunctor() {
  std::lock_guard<std::mutex> G(M);
  std::thread T{Bump{}};
  T.join();
  // CHECK-DAG: thread-starts.cpp:[[@LINE-1]]:5: warning: {{.*}}'thread:Bump::operator()'{{.*}}'M'{{.*}} [lockgraph-wait-holding-lock]
}

void joinBind() {
  std::lock_guard<std::mutex> G(M);
  std::thread T(std::bind(take, 2));
  T.join();
  // CHECK-DAG: thread-starts.cpp:[[@LINE-1]]:5: warning: {{.*}}'thread:take'{{.*}}'M'{{.*}} [lockgraph-wait-holding-lock]
}

int takeC11(void *) {
  take(3);
  return 0;
}

void joinC11() {
  std::lock_guard<std::mutex> G(M);
  thrd_t T;
  thrd_create(&T, takeC11, nullptr);
  thrd_join(T, nullptr);
  // CHECK-DAG: thread-starts.cpp:[[@LINE-1]]:3: warning: {{.*}}'thread:takeC11'{{.*}}'M'{{.*}} [lockgraph-wait-holding-lock]
}

// Two threads run countHit through a cast function pointer: they race on
// the last increment.
std::mutex CM;
int hits;

void *countHit(int *) {
  {
    std::lock_guard<std::mutex> G(CM);
    ++hits;
  }
  {
    std::lock_guard<std::mutex> G(CM);
    ++hits;
  }
  ++hits;
  // CHECK-DAG: thread-starts.cpp:[[@LINE-1]]:5: warning: write to 'hits' without holding 'CM'{{.*}} [lockgraph-race]
  return nullptr;
}

void startCounters() {
  pthread_t A, B;
  pthread_create(&A, nullptr, (void *(*)(void *))countHit, nullptr);
  pthread_create(&B, nullptr, (void *(*)(void *))countHit, nullptr);
  pthread_join(A, nullptr);
  pthread_join(B, nullptr);
}

// After wait() the thread is gone: reading the total races with nothing.
// After wait_for() it may still run.
std::mutex TM;
int total;

void accumulate() {
  {
    std::lock_guard<std::mutex> G(TM);
    total += 1;
  }
  {
    std::lock_guard<std::mutex> G(TM);
    total += 2;
  }
  std::lock_guard<std::mutex> G(TM);
  total *= 2;
}

int sumAfterWait() {
  auto F = std::async(std::launch::async, accumulate);
  F.wait();
  return total;
}

int sumAfterWaitFor() {
  auto F = std::async(std::launch::async, accumulate);
  F.wait_for(std::chrono::seconds(1));
  return total;
  // CHECK-DAG: thread-starts.cpp:[[@LINE-1]]:10: warning: read of 'total' without holding 'TM'{{.*}} [lockgraph-race]
}
