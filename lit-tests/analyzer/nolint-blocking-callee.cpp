// A NOLINT at a blocking call that callers reach holding a lock, or at a
// call on the way to it, suppresses the finding at every caller whose path
// goes through that line: that call is meant to block under their locks
// (leveldb's VersionSet::LogAndApply opens its first MANIFEST through
// Env::NewWritableFile under the DB mutex; one comment there silences the
// 4 findings at its callers). Paths that do not go through the line, a
// NOLINT for another check, or one on another line, suppress nothing.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/db "" %s
// RUN: not %lockgraph check -p %t/db 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: not %lockgraph check -p %t/db --show-suppressed 2>&1 | FileCheck %s --check-prefix=SHOW
#include <fcntl.h>
#include <mutex>
#include <unistd.h>

std::mutex g_mu, g_other;

int open_file(const char *path) { return open(path, O_RDONLY); }
int open_manifest() {
  return open_file("/tmp/manifest"); // NOLINT(lockgraph-blocking-under-lock)
}
int log_and_apply() {
  std::lock_guard<std::mutex> lock(g_mu);
  return open_manifest();
}
int recover() {
  std::lock_guard<std::mutex> lock(g_mu);
  return open_manifest();
}
int open_log() {
  std::lock_guard<std::mutex> lock(g_mu);
  // CHECK: nolint-blocking-callee.cpp:[[@LINE+1]]:10: warning: call to 'open_file' may block in 'open' while holding 'g_mu' [lockgraph-blocking-under-lock]
  return open_file("/tmp/log");
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
// SHOW: nolint-blocking-callee.cpp:23:10: warning: call to 'open_manifest' may block in 'open' while holding 'g_mu' [lockgraph-blocking-under-lock]
// SHOW: NOLINT on the way to the blocking call
// SHOW: nolint-blocking-callee.cpp:27:10: warning: call to 'open_manifest' may block in 'open' while holding 'g_mu' [lockgraph-blocking-under-lock]
// SHOW: NOLINT on the way to the blocking call
