// A lock in memory mapped, after a plugin was dlclose'd, where the plugin's
// data was (APR's process mutex, in an mmap of /dev/zero, after testdso
// unloaded its module) is named by where it was first taken, not by the
// unloaded plugin's symbol at that address.
// REQUIRES: runtime
// RUN: %clang -shared -fPIC %S/Inputs/plugin-data.c -o %t.plugin.so
// RUN: %clang %s -ldl -o %t
// RUN: not %lockgraph run -- %t %t.plugin.so 2>&1 | FileCheck %s --implicit-check-not=plugin_counter
// CHECK: mapped where the plugin's data was
// CHECK: warning: blocking call 'usleep' while holding 'mutex@dlclose-address-reused.c:[[@LINE+20]]'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
  void *plugin = dlopen(argv[1], RTLD_NOW);
  int *(*where)(void) = (int *(*)(void))dlsym(plugin, "plugin_counter_address");
  uintptr_t data = (uintptr_t)where();
  dlclose(plugin);
  void *page = (void *)(data & ~(uintptr_t)4095);
  char *mapped = mmap(page, 4096, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  pthread_mutex_t *mutex = (pthread_mutex_t *)(mapped + (data & 4095));
  printf("%s\n", mapped == page ? "mapped where the plugin's data was" : "mapped elsewhere");
  pthread_mutex_init(mutex, NULL);
  pthread_mutex_lock(mutex);
  usleep(1000);
  pthread_mutex_unlock(mutex);
  return 0;
}
