// A command run as root that drops its privileges (a server's `-u nobody`)
// still gets its lock graph into the run's report: the graphs go to a
// directory any user may write to, though not list. Another user, who sees
// the run's directory in $TMPDIR, can neither list it nor write into it, so
// cannot learn where the graphs go or slip in a graph of their own.
// REQUIRES: runtime, root
// RUN: %clang %s -o %t
// RUN: rm -rf /tmp/lockgraph-lit-setuid && mkdir -m 755 /tmp/lockgraph-lit-setuid
// RUN: env TMPDIR=/tmp/lockgraph-lit-setuid not %lockgraph run -- %t 2>&1 | FileCheck %s
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

pthread_mutex_t mu_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mu_b = PTHREAD_MUTEX_INITIALIZER;

static void *forward(void *p) {
  pthread_mutex_lock(&mu_a);
  pthread_mutex_lock(&mu_b);
  pthread_mutex_unlock(&mu_b);
  pthread_mutex_unlock(&mu_a);
  return p;
}

static void *reversed(void *p) {
  pthread_mutex_lock(&mu_b);
  pthread_mutex_lock(&mu_a);
  pthread_mutex_unlock(&mu_a);
  pthread_mutex_unlock(&mu_b);
  return p;
}

/// What another user can do with the run directories in $TMPDIR.
static void intrude(void) {
  const char *Tmp = getenv("TMPDIR");
  DIR *D = Tmp ? opendir(Tmp) : NULL;
  struct dirent *E;
  while (D && (E = readdir(D))) {
    if (strncmp(E->d_name, "lockgraph-run", 13) != 0)
      continue;
    char Path[4096];
    snprintf(Path, sizeof(Path), "%s/%s", Tmp, E->d_name);
    DIR *Run = opendir(Path);
    fprintf(stderr, "list run dir: %s\n", Run ? "ok" : strerror(errno));
    snprintf(Path, sizeof(Path), "%s/%s/lockgraph.1.json", Tmp, E->d_name);
    int Fd = open(Path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    fprintf(stderr, "write into run dir: %s\n", Fd >= 0 ? "ok" : strerror(errno));
  }
}

int main(void) {
  if (setgid(65534) != 0 || setuid(65534) != 0)
    return 2;
  fprintf(stderr, "running as uid %d\n", (int)getuid());
  intrude();
  // Two sibling threads make the cycle: neither starts or joins the other.
  pthread_t t;
  pthread_create(&t, 0, forward, 0);
  pthread_join(t, 0);
  pthread_create(&t, 0, reversed, 0);
  pthread_join(t, 0);
  return 0;
}

// CHECK: running as uid 65534
// CHECK-NEXT: list run dir: Permission denied
// CHECK-NEXT: write into run dir: Permission denied
// CHECK-NOT: cannot write graph file
// CHECK: warning: potential deadlock: lock order cycle mu_a -> mu_b -> mu_a
// RUN: rm -rf /tmp/lockgraph-lit-setuid
