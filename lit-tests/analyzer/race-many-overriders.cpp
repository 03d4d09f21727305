// A virtual call reaches every override the program defines, however many
// (spdlog's base_sink<std::mutex>::sink_it_ has more than ten): one left out
// would look uncalled, as a thread's start holding nothing, and its read of
// formatter_, which base_sink::log makes under mutex_, would be a race.
// Twin DIRECT: one override is also called without the lock: a race.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/virtual "" %s
// RUN: %lockgraph check -p %t/virtual 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/direct "-DDIRECT" %s
// RUN: not %lockgraph check -p %t/direct 2>&1 | FileCheck %s --implicit-check-not=warning:
#include <memory>
#include <mutex>
#include <string>

struct formatter {
  virtual ~formatter() = default;
  virtual std::string format(int msg) = 0;
};

class base_sink {
public:
  virtual ~base_sink() = default;
  void log(int msg) {
    std::lock_guard<std::mutex> lock(mutex_);
    sink_it_(msg);
  }
  void set_formatter(std::unique_ptr<formatter> f) {
    std::lock_guard<std::mutex> lock(mutex_);
    formatter_ = std::move(f);
  }

protected:
  virtual void sink_it_(int msg) = 0;
  std::unique_ptr<formatter> formatter_;
  std::mutex mutex_;
};

#define SINK(Name)                                                             \
  class Name final : public base_sink {                                        \
  protected:                                                                   \
    void sink_it_(int msg) override { out_ += formatter_->format(msg); }       \
    std::string out_;                                                          \
  };
SINK(sink1)
SINK(sink2)
SINK(sink3)
SINK(sink4)
SINK(sink5)
SINK(sink6)
SINK(sink7)
SINK(sink8)
SINK(sink9)
SINK(sink10)
SINK(sink11)

class sink12 final : public base_sink {
public:
#ifdef DIRECT
  // CHECK: race-many-overriders.cpp:[[@LINE+1]]:25: warning: call to 'sink12::sink_it_' reads 'base_sink::formatter_' without holding 'base_sink::mutex_', which guards it at 13 of 14 accesses [lockgraph-race]
  void log_unlocked() { sink_it_(0); }
#endif

protected:
  void sink_it_(int msg) override { out_ += formatter_->format(msg); }
  std::string out_;
};

void use_all() {
  sink1 s1; sink2 s2; sink3 s3; sink4 s4; sink5 s5; sink6 s6;
  sink7 s7; sink8 s8; sink9 s9; sink10 s10; sink11 s11; sink12 s12;
  base_sink *all[] = {&s1, &s2, &s3, &s4, &s5, &s6, &s7, &s8, &s9, &s10, &s11, &s12};
  for (base_sink *s : all)
    s->log(1);
}
