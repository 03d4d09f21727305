// Accesses that are not data races, or that lockgraph-race deliberately
// leaves alone, next to guarded accesses of the same kind: all silent.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/db "" %s
// RUN: %lockgraph check -p %t/db 2>&1 | count 0
#include <atomic>
#include <csignal>
#include <mutex>
#include <thread>

class Service {
public:
  // Constructors and destructors own their object: no other thread sees it.
  Service() { requests_ = 0; init(); }
  ~Service() { requests_ = -1; }

  void handle() {
    std::lock_guard<std::mutex> l(mu_);
    ++requests_;
    ++served_;
    log_level_ = limit_;
  }
  void handleTwice() {
    std::lock_guard<std::mutex> l(mu_);
    requests_ += 2;
    served_ += 2;
    bumpLocked();
  }
  void fast() {
    served_.fetch_add(1); // atomic: no lock needed
    ++served_;
    int l = limit_;       // never written after construction: read-only sharing
    (void)l;
    bumpLocked2();
  }
  int peekLimit() const { return limit_; }

private:
  void init() { requests_ = 1; } // only called from the constructor
  // Called only with mu_ held (by both callers).
  void bumpLocked() { ++requests_; }
  void bumpLocked2() {
    std::lock_guard<std::mutex> l(mu_);
    bumpLocked();
  }

  std::mutex mu_;
  long requests_ = 0;
  std::atomic<long> served_{0};
  int limit_ = 10;
  int log_level_ = 0;
};

// Globals: atomic, const, thread_local, volatile sig_atomic_t, and one only
// main touches.
std::mutex g_mu;
std::atomic<int> g_atomic{0};
const int g_const = 3;
thread_local int g_tls = 0;
volatile std::sig_atomic_t g_signalled = 0;
int g_main_only = 0;
int g_config = 5; // read by the threads, written only before they start

void worker() {
  {
    std::lock_guard<std::mutex> l(g_mu);
    ++g_atomic;
    ++g_tls;
    g_signalled = 1;
  }
  {
    std::lock_guard<std::mutex> l(g_mu);
    ++g_atomic;
    ++g_tls;
    g_signalled = 1;
  }
  ++g_atomic;
  ++g_tls;
  g_signalled = 1;
  int c = g_const + g_config;
  (void)c;
}

int main() {
  g_config = 7;
  {
    std::lock_guard<std::mutex> l(g_mu);
    ++g_main_only;
  }
  {
    std::lock_guard<std::mutex> l(g_mu);
    ++g_main_only;
  }
  ++g_main_only;
  std::thread a(worker), b(worker);
  a.join();
  b.join();
  Service s;
  s.handle();
  return g_main_only;
}
