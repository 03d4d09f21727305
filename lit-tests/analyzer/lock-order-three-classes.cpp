// A 3-lock cycle through three classes:
//   Db::mu -> Cache::mu (Db::write), Cache::mu -> Logger::mu (Cache::evict),
//   Logger::mu -> Db::mu (Logger::rotate).
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <mutex>

struct Cache;
struct Logger;
struct Db {
  std::mutex mu;
  Cache *cache;
  int rows = 0;
  void write();
  int stats() {
    std::lock_guard<std::mutex> g(mu);
    return rows;
  }
};
struct Cache {
  std::mutex mu;
  Logger *logger;
  void touch() { std::lock_guard<std::mutex> g(mu); }
  void evict();
};
struct Logger {
  std::mutex mu;
  Db *db;
  void log() { std::lock_guard<std::mutex> g(mu); }
  void rotate();
};

void Db::write() {
  std::lock_guard<std::mutex> g(mu);
  cache->touch();
}
void Cache::evict() {
  std::lock_guard<std::mutex> g(mu);
  logger->log();
}
void Logger::rotate() {
#ifdef FIXED
  int n = db->stats(); // read before taking our own lock
  std::lock_guard<std::mutex> g(mu);
  (void)n;
#else
  std::lock_guard<std::mutex> g(mu);
  (void)db->stats();
#endif
}
// CHECK: warning: potential deadlock: lock order cycle Cache::mu -> Logger::mu -> Db::mu -> Cache::mu [lockgraph-lock-order]
// CHECK-DAG: note: 'Logger::mu' acquired here while holding 'Cache::mu'
// CHECK-DAG: note: 'Db::mu' acquired here while holding 'Logger::mu'
// CHECK-DAG: note: 'Cache::mu' acquired here while holding 'Db::mu'
// CHECK-DAG: note: 'Db::stats' called here
// CHECK-DAG: note: 'Cache::touch' called here
// CHECK-DAG: note: 'Logger::log' called here
