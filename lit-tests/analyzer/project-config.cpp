// .lockgraph.yaml applies to `lockgraph check`: a declared lock order is
// enforced without a cycle, the blocking-call list is extended and trimmed,
// and a baseline hides what was already reported.
// RUN: rm -rf %t && mkdir -p %t/proj && sh %S/Inputs/mkdb.sh %t/db "" %s
// RUN: cd %t/proj && %lockgraph check -p %t/db | count 0
//
// RUN: printf 'lock-order: [g_log_mu, g_table_mu]\n' > %t/proj/.lockgraph.yaml
// RUN: cd %t/proj && not %lockgraph check -p %t/db 2>&1 | FileCheck %s --check-prefix=ORDER --implicit-check-not=warning:
// ORDER: project-config.cpp:[[@LINE+15]]:{{[0-9]+}}: warning: acquiring 'g_log_mu' while holding 'g_table_mu' violates the declared lock order ('g_log_mu' must be acquired first) [lockgraph-lock-order]
//
// RUN: printf 'blocking-functions: [rpc_call]\n' > %t/proj/.lockgraph.yaml
// RUN: cd %t/proj && not %lockgraph check -p %t/db 2>&1 | FileCheck %s --check-prefix=BLOCK --implicit-check-not=warning:
// BLOCK: project-config.cpp:[[@LINE+21]]:{{[0-9]+}}: warning: {{.*}}'rpc_call'{{.*}} [lockgraph-blocking-under-lock]
//
// RUN: cd %t/proj && not %lockgraph check -p %t/db --write-baseline=%t/base.json > /dev/null 2>&1
// RUN: cd %t/proj && %lockgraph check -p %t/db --baseline=%t/base.json | count 0
#include <mutex>

std::mutex g_table_mu, g_log_mu;
int g_rows;

void rpc_call() {}

void append_log() { std::lock_guard<std::mutex> log(g_log_mu); }

void insert_row() {
  std::lock_guard<std::mutex> table(g_table_mu);
  ++g_rows;
  append_log();
}

void sync_row() {
  std::lock_guard<std::mutex> table(g_table_mu);
  rpc_call();
}
