// In a class that declares what its lock guards (GUARDED_BY, PT_GUARDED_BY),
// the lock guards that and nothing else: a member left without the
// annotation is shared without the lock by the authors' word (leveldb's
// DBImpl::log_, read by the writer at the front of the queue with mutex_
// released), so no guard is inferred for it. What PT_GUARDED_BY declares is
// checked: the object behind the pointer, written without the lock.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <mutex>
#include <thread>

#define GUARDED_BY(x) __attribute__((guarded_by(x)))
#define PT_GUARDED_BY(x) __attribute__((pt_guarded_by(x)))

struct Log {
  int records = 0;
};

class Db {
public:
  // Mostly under mu_: without the annotations, mu_ would be inferred to
  // guard log_ and the unlocked read in write() reported.
  void rotate(Log *next) {
    std::lock_guard<std::mutex> l(mu_);
    log_ = next;
    ++generation_;
  }
  void flush() {
    std::lock_guard<std::mutex> l(mu_);
    if (log_)
      ++generation_;
  }
  void write() {
    mu_.lock();
    Log *log = nullptr;
    mu_.unlock();
    log = log_;
    if (log)
      log->records++;
    mu_.lock();
    ++generation_;
    mu_.unlock();
  }
  void count() {
#ifndef FIXED
    stats_->records++;
    // CHECK: race-annotated-class.cpp:[[@LINE-1]]:13: warning: write to 'Db::stats_->records' without holding 'Db::mu_', which guards it (GUARDED_BY) [lockgraph-race]
#else
    std::lock_guard<std::mutex> l(mu_);
    stats_->records++;
#endif
  }

private:
  std::mutex mu_;
  Log *log_ = nullptr;
  int generation_ GUARDED_BY(mu_) = 0;
  Log *stats_ PT_GUARDED_BY(mu_) = nullptr;
};

Db g_db;
Log g_logs[2];

int main() {
  std::thread a([] {
    g_db.rotate(&g_logs[0]);
    g_db.write();
    g_db.count();
  });
  std::thread b([] {
    g_db.flush();
    g_db.rotate(&g_logs[1]);
    g_db.write();
    g_db.count();
  });
  a.join();
  b.join();
}
