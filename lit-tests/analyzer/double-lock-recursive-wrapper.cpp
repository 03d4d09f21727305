// A lock wrapper whose constructor makes its pthread mutex recursive
// through an attribute member (zmq::mutex_t: pthread_mutexattr_settype(
// &_attr, PTHREAD_MUTEX_RECURSIVE); pthread_mutex_init(&_mutex, &_attr)) is
// a recursive lock wherever the wrapper is: taking it again through a call
// is no self-deadlock. Without the settype (PLAIN) it is one.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/recursive "" %s
// RUN: %lockgraph check -p %t/recursive 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/plain "-DPLAIN" %s
// RUN: not %lockgraph check -p %t/plain 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <pthread.h>

class Mutex {
public:
  Mutex() {
    pthread_mutexattr_init(&attr_);
#ifndef PLAIN
    pthread_mutexattr_settype(&attr_, PTHREAD_MUTEX_RECURSIVE);
#endif
    pthread_mutex_init(&mutex_, &attr_);
  }
  ~Mutex() {
    pthread_mutex_destroy(&mutex_);
    pthread_mutexattr_destroy(&attr_);
  }
  void lock() { pthread_mutex_lock(&mutex_); }
  void unlock() { pthread_mutex_unlock(&mutex_); }

private:
  pthread_mutex_t mutex_;
  pthread_mutexattr_t attr_;
};

class Context {
public:
  int createSocket() {
    slots_.lock();
    int n = ++sockets_;
    slots_.unlock();
    return n;
  }
  void terminate() {
    slots_.lock();
    createSocket();
    // CHECK: double-lock-recursive-wrapper.cpp:[[@LINE-1]]:5: warning: double lock of 'Context::slots_': 'Context::createSocket' acquires it while it is already held (self-deadlock) [lockgraph-double-lock]
    slots_.unlock();
  }

private:
  Mutex slots_;
  int sockets_ = 0;
};

int main() {
  Context c;
  c.terminate();
}
