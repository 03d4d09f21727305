// A virtual call reaches every override the program defines (spdlog's
// base_sink<std::mutex>::sink_it_ has more than ten, its flag_formatter::format
// about forty): one left out would look uncalled, as a thread's start holding
// nothing, and its read of formatter_, which base_sink::log makes under
// mutex_, would be a race. The link step follows up to 32 overrides of a call;
// the others are still no thread's start.
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
SINK(sink13)
SINK(sink14)
SINK(sink15)
SINK(sink16)
SINK(sink17)
SINK(sink18)
SINK(sink19)
SINK(sink20)
SINK(sink21)
SINK(sink22)
SINK(sink23)
SINK(sink24)
SINK(sink25)
SINK(sink26)
SINK(sink27)
SINK(sink28)
SINK(sink29)
SINK(sink30)
SINK(sink31)
SINK(sink32)
SINK(sink33)
SINK(sink34)
SINK(sink35)
SINK(sink36)
SINK(sink37)
SINK(sink38)
SINK(sink39)
SINK(sink40)

class sink0 final : public base_sink {
public:
#ifdef DIRECT
  // CHECK: race-many-overriders.cpp:[[@LINE+1]]:25: warning: call to 'sink0::sink_it_' reads 'base_sink::formatter_' without holding 'base_sink::mutex_', which guards it at 33 of 34 accesses [lockgraph-race]
  void log_unlocked() { sink_it_(0); }
#endif

protected:
  void sink_it_(int msg) override { out_ += formatter_->format(msg); }
  std::string out_;
};

void use_all() {
  sink0 s0;
  s0.log(1);
  sink40 s40;
  s40.log(1);
}
