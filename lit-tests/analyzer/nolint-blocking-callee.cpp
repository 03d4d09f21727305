// A NOLINT at a blocking call that callers reach holding a lock suppresses
// the finding at every such caller: the call is meant to block under their
// locks (leveldb's VersionSet::LogAndApply opens its first MANIFEST under
// the DB mutex, reached from 8 callers). A NOLINT for another check, or on
// another line of the callee, suppresses nothing.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/db "" %s
// RUN: not %lockgraph check -p %t/db 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: not %lockgraph check -p %t/db --show-suppressed 2>&1 | FileCheck %s --check-prefix=SHOW
#include <fcntl.h>
#include <mutex>
#include <unistd.h>

std::mutex g_mu, g_other;

int open_manifest() {
  return open("/tmp/manifest", O_RDONLY); // NOLINT(lockgraph-blocking-under-lock)
}
int log_and_apply() {
  std::lock_guard<std::mutex> lock(g_mu);
  return open_manifest();
}
int recover() {
  std::lock_guard<std::mutex> lock(g_mu);
  return open_manifest();
}

void write_record() {
  // NOLINT(lockgraph-blocking-under-lock): not this line
  usleep(10); // NOLINT(lockgraph-lock-order)
}
void flush() {
  std::lock_guard<std::mutex> lock(g_other);
  // CHECK: nolint-blocking-callee.cpp:[[@LINE+1]]:3: warning: call to 'write_record' may block in 'usleep' while holding 'g_other' [lockgraph-blocking-under-lock]
  write_record();
}
// SHOW: nolint-blocking-callee.cpp:20:10: warning: call to 'open_manifest' may block in 'open' while holding 'g_mu' [lockgraph-blocking-under-lock]
// SHOW: NOLINT at the blocking call
// SHOW: nolint-blocking-callee.cpp:24:10: warning: call to 'open_manifest' may block in 'open' while holding 'g_mu' [lockgraph-blocking-under-lock]
// SHOW: NOLINT at the blocking call
