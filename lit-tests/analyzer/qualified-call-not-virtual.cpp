// A qualified call `Channel::setProperty(name)` in an override calls the
// base's function itself, not every override of it (Poco's FileChannel and
// SimpleFileChannel end setProperty so; Channel::setProperty only throws):
// no false cycle through AsyncChannel::setProperty's lock, no false double
// lock of FileChannel::mu. VIRTUAL: a call through a pointer to another
// channel may reach AsyncChannel::setProperty under FileChannel::mu: the
// cycle is real and reported.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/qualified "" %s
// RUN: %lockgraph check -p %t/qualified --no-cache 2>&1 | count 0
// RUN: sh %S/Inputs/mkdb.sh %t/virtual "-DVIRTUAL" %s
// RUN: not %lockgraph check -p %t/virtual --no-cache 2>&1 | FileCheck %s
#include <mutex>
#include <string>

struct Channel {
  virtual ~Channel() {}
  virtual void setProperty(const std::string &name);
  virtual void log(const std::string &msg) = 0;
};

void Channel::setProperty(const std::string &name) { throw name; }

struct FileChannel : Channel {
  std::mutex mu;
  std::string path;
  Channel *next = nullptr;
  void setProperty(const std::string &name) override {
    std::lock_guard<std::mutex> g(mu);
    if (name == "path")
      path = name;
    else
#ifdef VIRTUAL
      next->setProperty(name);
#else
      Channel::setProperty(name);
#endif
  }
  void log(const std::string &) override { std::lock_guard<std::mutex> g(mu); }
};

struct AsyncChannel : Channel {
  std::mutex chmu;
  Channel *target = nullptr;
  void setProperty(const std::string &name) override {
    if (name == "channel") {
      std::lock_guard<std::mutex> g(chmu);
      target = nullptr;
    } else {
      Channel::setProperty(name);
    }
  }
  // CHECK: warning: potential deadlock: lock order cycle {{.*}}AsyncChannel::chmu{{.*}}FileChannel::mu{{.*}} [lockgraph-lock-order]
  void log(const std::string &m) override {
    std::lock_guard<std::mutex> g(chmu);
    if (target)
      target->log(m);
  }
};
