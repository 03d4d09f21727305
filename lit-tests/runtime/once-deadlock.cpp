// The deadlock a once-initialization makes with a lock, happening: the
// initializer run by std::call_once (libstdc++ calls pthread_once) takes
// `g_registry_mu`, which the other thread holds while it waits in
// std::call_once for that initializer. The watchdog sees the thread that
// waits for the once as waiting for a lock that the initializing thread
// holds, reports the cycle with both stacks and, with abort_on_deadlock=1,
// aborts instead of hanging (alarm() bounds the test if it did not).
// Twin: the caller releases the lock before std::call_once: no finding.
// REQUIRES: runtime
// RUN: %clangxx %s -o %t
// RUN: %env_lg_opts=abort_on_deadlock=1:watchdog_interval_ms=100 LD_PRELOAD=%preload not --crash %t 2>&1 | FileCheck %s
// RUN: env LD_PRELOAD=%preload %t released 2>&1 | FileCheck %s --check-prefix=RELEASED
// CHECK: WARNING: lockgraph: deadlock
// CHECK-NEXT: Threads waiting for each other: T1 => T0 => T1
// CHECK: Thread T1 (tid={{[0-9]+}}) is blocked acquiring 'g_plugins_loaded' ({{.*}}) held by thread T0, at:
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>
#include <unistd.h>

std::mutex g_registry_mu;
std::once_flag g_plugins_loaded;
std::atomic<bool> g_initializing{false}, g_registry_held{false};

static void load_plugins() {
  g_initializing = true;
  while (!g_registry_held)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::lock_guard<std::mutex> lock(g_registry_mu); // CHECK-DAG: {{#[0-9]+}} load_plugins(){{.*}}once-deadlock.cpp:[[@LINE]]
}

static void register_plugin(bool release_first) {
  while (!g_initializing)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::unique_lock<std::mutex> lock(g_registry_mu);
  g_registry_held = true;
  if (release_first)
    lock.unlock();
  std::call_once(g_plugins_loaded, load_plugins); // CHECK-DAG: {{#[0-9]+}} register_plugin(bool){{.*}}once-deadlock.cpp:[[@LINE]]
}

int main(int argc, char **argv) {
  alarm(60);
  const bool released = argc > 1 && strcmp(argv[1], "released") == 0;
  std::thread registrar(register_plugin, released);
  std::call_once(g_plugins_loaded, load_plugins);
  registrar.join();
  printf("loaded\n");
  return 0;
}

// CHECK: Thread T0 holds 'g_plugins_loaded'
// CHECK: SUMMARY: lockgraph: deadlock
// CHECK: lockgraph: aborting (abort_on_deadlock=1)
// RELEASED-NOT: lockgraph
// RELEASED: loaded
// RELEASED-NOT: lockgraph
