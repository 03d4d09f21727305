// Sample 10, fixed: a 3-thread, 3-lock cycle that only a lock graph finds.
//
// The bug (three_locks.cpp): rotateLog() took log_mu, then config_mu, closing
// the cycle config_mu -> cache_mu -> log_mu -> config_mu.
//
// Why the fix works: rotateLog() now takes config_mu before log_mu, so every
// function follows the one global order config_mu, cache_mu, log_mu. All
// edges go forward in that order, so the lock graph (config_mu -> cache_mu,
// cache_mu -> log_mu, config_mu -> log_mu) has no cycle and no set of threads
// can wait for each other in a ring. (Copying the path under config_mu and
// taking log_mu after releasing it would work too: no nesting, no edge.)
#include <cstdio>
#include <latch>
#include <mutex>
#include <string>
#include <thread>

// Lock order: config_mu, cache_mu, log_mu.
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
  std::lock_guard<std::mutex> Config(config_mu); // FIX: config_mu first,
  std::lock_guard<std::mutex> Log(log_mu);       // then log_mu
  log_lines = 0;
  log_path = config_log_path;
}

int main() {
  std::latch Reloaded(1), Missed(1);
  std::thread Admin([&] {
    reloadConfig();
    Reloaded.count_down();
  });
  std::thread Worker([&] {
    Reloaded.wait(); // same schedule as three_locks.cpp
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
