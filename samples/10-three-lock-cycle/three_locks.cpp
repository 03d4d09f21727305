// Sample 10: a 3-thread, 3-lock cycle that only a lock graph finds.
//
// What goes wrong: no two functions here take the same two locks in opposite
// orders, so no pairwise review finds an inversion:
//   reloadConfig()  config_mu -> cache_mu   (a new config clears the cache)
//   cacheMiss()     cache_mu  -> log_mu     (a cache miss is logged)
//   rotateLog()     log_mu    -> config_mu  (the new log path is in the config)
// Together they form the cycle config_mu -> cache_mu -> log_mu -> config_mu.
// If the three run at once and each takes its first lock, each waits for the
// next thread's lock: a three-way deadlock.
//
// It never deadlocks in practice, and never in this run: reload, miss and
// rotation happen at different moments (here: one after the other, handed on
// by latches, which are not locks), so no test ever hangs. The three edges
// are still recorded, each in its own thread, and the cycle is in the graph.
//
// Fixed twin: three_locks_fixed.cpp makes rotateLog() follow the global order
// config_mu, cache_mu, log_mu.
// Check: lockgraph-lock-order (static and run time).
#include <cstdio>
#include <latch>
#include <mutex>
#include <string>
#include <thread>

// Intended lock order: config_mu, cache_mu, log_mu.
std::mutex config_mu; // guards config_log_path, config_generation
std::mutex cache_mu;  // guards cache_entries
std::mutex log_mu;    // guards log_lines, log_path
std::string config_log_path = "/var/log/app.log";
int config_generation = 0;
int cache_entries = 10;
int log_lines = 0;
std::string log_path;

void reloadConfig() {
  std::lock_guard<std::mutex> Config(config_mu);
  ++config_generation;
  std::lock_guard<std::mutex> Cache(cache_mu); // config_mu -> cache_mu
  cache_entries = 0;
}

void cacheMiss() {
  std::lock_guard<std::mutex> Cache(cache_mu);
  ++cache_entries;
  std::lock_guard<std::mutex> Log(log_mu); // cache_mu -> log_mu
  ++log_lines;
}

void rotateLog() {
  std::lock_guard<std::mutex> Log(log_mu);
  log_lines = 0;
  std::lock_guard<std::mutex> Config(config_mu); // BUG: log_mu -> config_mu
  log_path = config_log_path;
}

int main() {
  std::latch Reloaded(1), Missed(1);
  std::thread Admin([&] {
    reloadConfig();
    Reloaded.count_down();
  });
  std::thread Worker([&] {
    Reloaded.wait(); // sequenced: the sample must never really deadlock
    cacheMiss();
    Missed.count_down();
  });
  std::thread Janitor([&] {
    Missed.wait();
    rotateLog();
  });
  Admin.join();
  Worker.join();
  Janitor.join();
  std::printf("three_locks: generation %d, %d cache entries, log at %s\n",
              config_generation, cache_entries, log_path.c_str());
  return 0;
}
