// A lock reached through a local pointer (leveldb's DB::Open:
// `DBImpl *impl = new DBImpl(...); impl->mutex_.Lock();`, through its
// port::Mutex wrapper) is named by its class, as in the class's methods:
// 'Db::mu_', not 'open_db::impl.mu_', which no other function and no
// run-time lock is called (leveldb's blocking findings in DB::Open named
// 'DB::Open::impl.mutex_', so the run-time lock taken there and in the
// methods matched no one static name). Twin FIXED: the write is made after
// the unlock.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/held "" %s
// RUN: not %lockgraph check -p %t/held 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <mutex>
#include <unistd.h>

class Mutex {
public:
  void Lock() { mu_.lock(); }
  void Unlock() { mu_.unlock(); }

private:
  std::mutex mu_;
};

struct Db {
  Mutex mu_;
  int version_ = 0;
  int log_fd_ = -1;
};

Db *open_db(int fd) {
  Db *impl = new Db;
  impl->mu_.Lock();
  impl->log_fd_ = fd;
  impl->version_ = 1;
#ifdef FIXED
  impl->mu_.Unlock();
  write(fd, "v1", 2);
#else
  write(fd, "v1", 2); // CHECK: local-pointer-lock-class.cpp:[[@LINE]]:3: warning: blocking call to 'write' while holding 'Db::mu_' [lockgraph-blocking-under-lock]
  impl->mu_.Unlock();
#endif
  return impl;
}
