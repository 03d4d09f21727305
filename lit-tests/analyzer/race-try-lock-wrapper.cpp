// A method that returns whether its trylock succeeded is a conditional lock
// function, as if annotated TRY_ACQUIRE(true): what `if (m.try_lock())`
// guards is under the lock (libzmq's dbuffer_t::write under
// mutex_t::try_lock, whose `rc == EBUSY` path returns false and whose
// other errors abort). Twin UNGUARDED: the write takes no lock, a race.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/guarded "" %s
// RUN: %lockgraph check -p %t/guarded 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/unguarded "-DUNGUARDED" %s
// RUN: not %lockgraph check -p %t/unguarded 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <cerrno>
#include <cstdlib>
#include <pthread.h>
#include <thread>

class mutex_t {
public:
  void lock() { pthread_mutex_lock(&mutex_); }
  bool try_lock() {
    int rc = pthread_mutex_trylock(&mutex_);
    if (rc == EBUSY)
      return false;
    if (rc)
      abort();
    return true;
  }
  void unlock() { pthread_mutex_unlock(&mutex_); }

private:
  pthread_mutex_t mutex_ = PTHREAD_MUTEX_INITIALIZER;
};

class scoped_lock_t {
public:
  explicit scoped_lock_t(mutex_t &m) : m_(m) { m_.lock(); }
  ~scoped_lock_t() { m_.unlock(); }

private:
  mutex_t &m_;
};

class dbuffer_t {
public:
  void write(int v) {
#ifndef UNGUARDED
    if (sync_.try_lock()) {
      value_ = v;
      has_msg_ = true;
      sync_.unlock();
    }
#else
    value_ = v;
    has_msg_ = true;
    // CHECK: race-try-lock-wrapper.cpp:[[@LINE-1]]:5: warning: write to 'dbuffer_t::has_msg_' without holding 'dbuffer_t::sync_', which guards it at 2 of 3 accesses [lockgraph-race]
#endif
  }
  bool read(int *v) {
    scoped_lock_t lock(sync_);
    if (!has_msg_)
      return false;
    *v = value_;
    has_msg_ = false;
    return true;
  }

private:
  mutex_t sync_;
  int value_ = 0;
  bool has_msg_ = false;
};

dbuffer_t buffer;

int main() {
  std::thread writer([] { buffer.write(1); });
  int v = 0;
  buffer.read(&v);
  writer.join();
  return v;
}
