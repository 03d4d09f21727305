// A blocking call made inside a plugin under its loader's lock, reported
// after the plugin was unloaded (Poco's ClassLoader: dlopen, run the
// plugin's initializer under the loader's mutex, dlclose before exit):
// the runtime remembers where dlclose'd modules were loaded, so the
// report still names the plugin's file and line, not a bare address.
// REQUIRES: runtime
// RUN: %clang -shared -fPIC %S/Inputs/plugin-blocking.c -o %t.plugin.so
// RUN: %clang %s -ldl -o %t
// RUN: not %lockgraph run -- %t %t.plugin.so 2>&1 | FileCheck %s
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t loader_mu = PTHREAD_MUTEX_INITIALIZER;

int main(int argc, char **argv) {
  void *plugin = dlopen(argc > 1 ? argv[1] : "plugin.so", RTLD_NOW);
  if (!plugin) {
    puts(dlerror());
    return 2;
  }
  void (*init)(void) = (void (*)(void))dlsym(plugin, "plugin_init");
  pthread_mutex_lock(&loader_mu);
  init();
  pthread_mutex_unlock(&loader_mu);
  dlclose(plugin);
  return 0;
}
// CHECK: plugin-blocking.c:6:3: warning: blocking call 'write' while holding 'loader_mu'
// CHECK-NEXT: dlclose-plugin-location.c:[[#@LINE-6]]:3: note: 'plugin_init' called here
