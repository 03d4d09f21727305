// A member whose lock class a library defines (Poco's Mutex, whose
// constructor is in libPocoFoundation): the program's debug information
// only declares the class, and the member is still named by its owner
// (Queue::mu_, Cache::mu_), not by where it was first locked.
// REQUIRES: runtime
// RUN: %clangxx -shared -fPIC %S/Inputs/member-lock-lib.cpp -o %t.lib.so
// RUN: %clangxx -I%S/Inputs %s %t.lib.so -Wl,-rpath,%T -o %t
// RUN: not %lockgraph run -- %t 2>&1 | FileCheck %s
#include "member-lock-lib.h"
#include <thread>

struct Cache;
struct Queue {
  LibMutex mu_;
  Cache *cache = nullptr;
  void push();
};
struct Cache {
  LibMutex mu_;
  Queue *queue = nullptr;
  void evict() {
    mu_.lock();
    queue->mu_.lock();
    queue->mu_.unlock();
    mu_.unlock();
  }
};
void Queue::push() {
  mu_.lock();
  cache->mu_.lock();
  cache->mu_.unlock();
  mu_.unlock();
}

// CHECK: warning: potential deadlock: lock order cycle {{Queue::mu_ -> Cache::mu_ -> Queue::mu_|Cache::mu_ -> Queue::mu_ -> Cache::mu_}} [lockgraph-lock-order]
int main() {
  Queue *q = new Queue;
  Cache *c = new Cache;
  q->cache = c;
  c->queue = q;
  std::thread([q] { q->push(); }).join();
  std::thread([c] { c->evict(); }).join();
}
