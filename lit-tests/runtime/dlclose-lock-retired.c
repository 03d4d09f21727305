// A library's global lock ends with the library: once dlclose unloads it,
// another library loaded at the same address has its own lock there, not
// the unloaded one's (a plugin host's test that loads one plugin after
// another). Orders taken on the two are no cycle. A dlclose that does not
// unload (the library is still open through another handle) keeps its
// lock, and the reverse order on it is still a potential deadlock.
// REQUIRES: runtime
// RUN: %clang -shared -fPIC %S/Inputs/plugin-lock.c -o %t.a.so
// RUN: %clang -shared -fPIC %S/Inputs/plugin-lock.c -o %t.b.so
// RUN: %clang %s -ldl -o %t
// RUN: %lockgraph run -- %t unloaded %t.a.so %t.b.so 2>&1 | FileCheck %s --check-prefix=UNLOADED --implicit-check-not=warning:
// RUN: not %lockgraph run -- %t still-open %t.a.so %t.b.so 2>&1 | FileCheck %s --check-prefix=OPEN
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t host_mu = PTHREAD_MUTEX_INITIALIZER;
static const char *first_path, *second_path;
static void *kept_open;
static pthread_mutex_t *first_lock;

static void *open_plugin(const char *path) {
  void *plugin = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!plugin)
    fprintf(stderr, "%s\n", dlerror());
  return plugin;
}

static void *plugin_then_host(void *still_open) {
  void *plugin = open_plugin(first_path);
  if (still_open)
    kept_open = open_plugin(first_path);
  first_lock = (pthread_mutex_t *)dlsym(plugin, "plugin_mu");
  void (*lock)(void) = (void (*)(void))dlsym(plugin, "plugin_lock");
  void (*unlock)(void) = (void (*)(void))dlsym(plugin, "plugin_unlock");
  lock();
  pthread_mutex_lock(&host_mu);
  pthread_mutex_unlock(&host_mu);
  unlock();
  dlclose(plugin);
  return NULL;
}

static void *host_then_plugin(void *still_open) {
  void *plugin = still_open ? kept_open : open_plugin(second_path);
  pthread_mutex_t *lock = (pthread_mutex_t *)dlsym(plugin, "plugin_mu");
  if (!still_open)
    printf("%s\n", lock == first_lock ? "second plugin's lock where the first's was"
                                      : "second plugin's lock elsewhere");
  pthread_mutex_lock(&host_mu);
  void (*plugin_lock)(void) = (void (*)(void))dlsym(plugin, "plugin_lock");
  void (*plugin_unlock)(void) = (void (*)(void))dlsym(plugin, "plugin_unlock");
  plugin_lock();
  plugin_unlock();
  pthread_mutex_unlock(&host_mu);
  dlclose(plugin);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 4)
    return 2;
  void *still_open = strcmp(argv[1], "still-open") == 0 ? argv[1] : NULL;
  first_path = argv[2];
  second_path = argv[3];
  pthread_t t;
  pthread_create(&t, NULL, plugin_then_host, still_open);
  pthread_join(t, NULL);
  pthread_create(&t, NULL, host_then_plugin, still_open);
  pthread_join(t, NULL);
  return 0;
}
// UNLOADED: second plugin's lock where the first's was
// UNLOADED: lockgraph: 1 process recorded, 3 locks in the graph

// OPEN: warning: potential deadlock: lock order cycle {{.*}}plugin_mu{{.*}} [lockgraph-lock-order]
