// A copy or move assignment that no call reaches is no thread's start: it
// gives a value its new contents, as a constructor does, for a caller that
// owns or guards the object (spdlog's log_msg_buffer::operator=, writing the
// fields every sink reads under its own mutex). Twin RESET: a plain method
// no call reaches is a start, and its write races with the sink's reads.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/assign "" %s
// RUN: %lockgraph check -p %t/assign 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/reset "-DRESET" %s
// RUN: not %lockgraph check -p %t/reset 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <mutex>
#include <string>

struct message {
  std::string name;
  int level = 0;
  message &operator=(const message &other) {
    name = other.name;
    level = other.level;
    return *this;
  }
#ifdef RESET
  // CHECK: race-assignment-operator.cpp:[[@LINE+1]]:18: warning: write to 'message::level' without holding 'sink::mutex_', which guards it at 2 of 3 accesses [lockgraph-race]
  void reset() { level = 0; }
#endif
};

class sink {
public:
  void log(const message &msg) {
    std::lock_guard<std::mutex> lock(mutex_);
    total_ += msg.level;
  }
  void log_twice(const message &msg) {
    std::lock_guard<std::mutex> lock(mutex_);
    total_ += 2 * msg.level;
  }

private:
  std::mutex mutex_;
  int total_ = 0;
};
